## Heywood case reference: n = 20, 4 indicators, 1 factor, population standardized loadings 0.9.
## Seed 88 is the first seed in 1..500 giving a negative residual variance (see heywood_search.R).
## Run: Rscript heywood.R  -> heywood_data.csv, heywood_estimates.csv, heywood_fit.csv, heywood_warnings.txt
suppressPackageStartupMessages(library(lavaan))
cat(R.version.string, "\nlavaan", as.character(packageVersion("lavaan")), "\n")
seed <- 88; n <- 20; lam <- rep(0.9, 4)
set.seed(seed)
f <- rnorm(n)
E <- sapply(lam, function(l) rnorm(n, sd = sqrt(1 - l^2)))
X <- f %*% t(lam) + E
colnames(X) <- paste0("y", 1:4)
d0 <- as.data.frame(X)
## write with 17 significant digits so the CSV round-trips exactly, then fit the data read back
write.csv(as.data.frame(lapply(d0, function(x) sprintf("%.17g", x))), "heywood_data.csv", row.names = FALSE, quote = FALSE)
d <- read.csv("heywood_data.csv")
stopifnot(isTRUE(all.equal(as.matrix(d), as.matrix(d0), tolerance = 0)))

model <- "F =~ y1 + y2 + y3 + y4"
W <- character(0)
catchw <- function(expr) withCallingHandlers(expr, warning = function(m) {
  W <<- c(W, paste0(deparse(conditionCall(m)), ": ", conditionMessage(m))); invokeRestart("muffleWarning") })
fits <- list(
  marker = catchw(cfa(model, data = d)),                 # default: first loading fixed to 1
  std_lv = catchw(cfa(model, data = d, std.lv = TRUE)),  # factor variance fixed to 1
  ## same two, with nlminb's relative tolerance tightened from lavaan's default 1e-10 to 1e-11 (1e-12 and below: marker model reports non-convergence)
  marker_tight = catchw(cfa(model, data = d, control = list(rel.tol = 1e-11, iter.max = 10000, eval.max = 20000))),
  std_lv_tight = catchw(cfa(model, data = d, std.lv = TRUE, control = list(rel.tol = 1e-11, iter.max = 10000, eval.max = 20000)))
)
writeLines(unique(W), "heywood_warnings.txt")
cat("Warnings:\n"); cat(unique(W), sep = "\n")

fmt <- function(x) trimws(formatC(x, digits = 10, format = "g"))
est <- do.call(rbind, lapply(names(fits), function(nm) {
  pe <- parameterEstimates(fits[[nm]])
  ss <- standardizedSolution(fits[[nm]], type = "std.all")
  out <- data.frame(identification = nm, lhs = pe$lhs, op = pe$op, rhs = pe$rhs,
                    est = fmt(pe$est), se = fmt(pe$se), std_all = fmt(ss$est.std),
                    std_all_se = fmt(ss$se), stringsAsFactors = FALSE)
  out
}))
write.csv(est, "heywood_estimates.csv", row.names = FALSE, quote = FALSE)
print(est, right = FALSE)
fm <- do.call(rbind, lapply(names(fits), function(nm) {
  m <- fitMeasures(fits[[nm]], c("npar", "ntotal", "chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr", "fmin"))
  data.frame(identification = nm, measure = names(m), value = fmt(unclass(m)),
             converged = lavInspect(fits[[nm]], "converged"),
             iterations = lavInspect(fits[[nm]], "iterations"), stringsAsFactors = FALSE)
}))
write.csv(fm, "heywood_fit.csv", row.names = FALSE, quote = FALSE)
print(fm, right = FALSE)
cat("\nSample covariance (divisor n, as lavaan uses for ML):\n")
S <- unclass(lavInspect(fits$marker, "sampstat")$cov); print(S, digits = 10)
write.csv(as.data.frame(apply(S, 2, function(x) sprintf("%.17g", x)), row.names = rownames(S)), "heywood_sample_cov_n.csv", quote = FALSE)
