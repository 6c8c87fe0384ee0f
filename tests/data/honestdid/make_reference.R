## Reference values for kinerja_analysis.methods.did.sensitivity, from HonestDiD.
## Our own synthetic event studies (generated here, seed below), run through the R package
## HonestDiD (Rambachan & Roth 2023), version 0.2.6. Run from this folder with HonestDiD
## installed:  Rscript make_reference.R   (a few minutes; writes cases.csv, results.csv)
suppressPackageStartupMessages(library(HonestDiD))
cat(R.version.string, "\nHonestDiD", as.character(packageVersion("HonestDiD")),
    "\nmvtnorm", as.character(packageVersion("mvtnorm")), "\n")
f17 <- function(x) sprintf("%.17g", x)

## an event study: pre-period coefficients around zero (with an optional linear
## violation), post-period effects, and a positive-definite covariance
make_case <- function(name, n_pre, n_post, effect, slope, se, rho) {
  p <- n_pre + n_post
  t <- c(-(n_pre:1), 0:(n_post - 1))
  R <- rho^abs(outer(1:p, 1:p, "-"))
  sigma <- (se %o% se) * R
  beta <- slope * t + c(rep(0, n_pre), effect) + as.vector(t(chol(sigma)) %*% rnorm(p))
  list(name = name, n_pre = n_pre, n_post = n_post, beta = beta, sigma = sigma)
}
set.seed(20260514)
cases <- list(
  make_case("a", 3, 3, c(0.20, 0.25, 0.30), 0.00, rep(0.05, 6), 0.4),
  make_case("b", 4, 2, c(0.15, 0.10), 0.01, seq(0.03, 0.06, length.out = 6), 0.3),
  make_case("c", 4, 1, 0.12, 0.00, rep(0.04, 5), 0.5),
  make_case("d", 5, 4, c(0.10, 0.12, 0.15, 0.15), 0.005, rep(0.03, 9), 0.6)
)

## inputs, long: one row per (case, i, j) with beta_i and sigma_ij
inputs <- do.call(rbind, lapply(cases, function(cs) {
  p <- cs$n_pre + cs$n_post
  g <- expand.grid(j = 1:p, i = 1:p)
  data.frame(case = cs$name, n_pre = cs$n_pre, n_post = cs$n_post, i = g$i, j = g$j,
             beta_i = f17(cs$beta[g$i]), sigma_ij = f17(cs$sigma[cbind(g$i, g$j)]))
}))
write.csv(inputs, "cases.csv", row.names = FALSE, quote = FALSE)

out <- list()
add <- function(case, l_name, res, key) {
  res <- as.data.frame(res)
  out[[length(out) + 1]] <<- data.frame(case = case, l = l_name, method = res$method,
    delta = if (is.null(res$Delta)) "" else res$Delta,
    value = if (key %in% names(res)) f17(res[[key]]) else "NA",
    lb = f17(res$lb), ub = f17(res$ub))
}
for (cs in cases) {
  ls <- list(first = basisVector(1, cs$n_post), average = rep(1 / cs$n_post, cs$n_post))
  if (cs$n_post == 1) ls <- ls["first"]
  for (ln in names(ls)) {
    l <- ls[[ln]]
    t0 <- proc.time()[["elapsed"]]
    add(cs$name, ln, constructOriginalCS(betahat = cs$beta, sigma = cs$sigma,
        numPrePeriods = cs$n_pre, numPostPeriods = cs$n_post, l_vec = l), "none")
    add(cs$name, ln, createSensitivityResults_relativeMagnitudes(betahat = cs$beta,
        sigma = cs$sigma, numPrePeriods = cs$n_pre, numPostPeriods = cs$n_post, l_vec = l,
        Mbarvec = c(0, 0.5, 1, 2)), "Mbar")
    add(cs$name, ln, createSensitivityResults(betahat = cs$beta, sigma = cs$sigma,
        numPrePeriods = cs$n_pre, numPostPeriods = cs$n_post, l_vec = l,
        Mvec = c(0, 0.01, 0.05)), "M")
    cat(cs$name, ln, sprintf("%.1f s", proc.time()[["elapsed"]] - t0), "\n")
  }
}
res <- do.call(rbind, out)
write.csv(res, "results.csv", row.names = FALSE, quote = FALSE)
print(res)
