## Find the first seed (1..500) for which n=20, 4 indicators, 1 factor, standardized loadings .9
## gives a negative residual variance in lavaan's (unconstrained) ML estimates.
suppressPackageStartupMessages(library(lavaan))
gen <- function(seed, n = 20, lam = c(0.9, 0.9, 0.9, 0.9)) {
  set.seed(seed)
  f <- rnorm(n)
  E <- sapply(lam, function(l) rnorm(n, sd = sqrt(1 - l^2)))
  X <- sweep(outer(f, 1), 2, 0) %*% t(lam) + E
  colnames(X) <- paste0("y", 1:4)
  as.data.frame(X)
}
hits <- c()
for (s in 1:500) {
  d <- gen(s)
  w <- NULL
  fit <- withCallingHandlers(cfa("F =~ y1 + y2 + y3 + y4", data = d),
                             warning = function(m) { w <<- c(w, conditionMessage(m)); invokeRestart("muffleWarning") })
  pe <- parameterEstimates(fit)
  rv <- pe$est[pe$op == "~~" & pe$lhs == pe$rhs & pe$lhs %in% paste0("y", 1:4)]
  if (lavInspect(fit, "converged") && any(rv < 0)) {
    hits <- c(hits, s)
    cat("seed", s, "min resid var", min(rv), "| warnings:", paste(w, collapse = " || "), "\n")
  }
  if (length(hits) >= 5) break
}
