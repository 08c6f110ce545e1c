# Arcsine Fay-Herriot reference: shares of 30 areas (set.seed below; areas 1-30, covariate x), modelled as
# emdi::fh(transformation = "arcsin", backtransformation = "naive" / "bc", eff_smpsize = n / deff) does:
# direct -> asin(sqrt(p)) with vardir 1 / (4 n_eff), REML by R sae 1.3's eblupFH (sourced, unchanged),
# naive back-transform sin^2, and emdi's bias correction, integrate(sin(x)^2 dnorm(x, eblup, sqrt(g1)),
# 0, pi/2) with g1 = A (1 - gamma) (emdi 2.2.2 R/back_transformation.R, arcsin_bc). Shares are kept away
# from 0 and 1, where emdi's integral and ours (which clips the angle) agree.
#   Rscript tests/data/r/make_arcsin_reference.R path/to/sae/R
args <- commandArgs(trailingOnly = TRUE)
source(file.path(args[1], "eblupFH.R"))
set.seed(20261130)
m <- 30
x <- runif(m)
n <- sample(15:120, m, replace = TRUE)
deff <- round(runif(m, 1.0, 2.2), 3)
p <- round(pmin(pmax(plogis(-0.2 + 1.4 * x + rnorm(m, 0, 0.35)) + rnorm(m, 0, sqrt(0.2 * deff / n)), 0.08), 0.92), 4)
data <- data.frame(area = 1:m, x = x, n = n, deff = deff, estimate = p)
data$y <- asin(sqrt(p))
data$vardir <- 1 / (4 * n / deff)
fit <- eblupFH(y ~ x, vardir, method = "REML", data = data)
A <- fit$fit$refvar
gamma <- A / (A + data$vardir)
eb <- as.numeric(fit$eblup)
bc <- sapply(seq_len(m), function(i) integrate(function(t) sin(t)^2 * dnorm(t, eb[i], sqrt(A * (1 - gamma[i]))),
                                               0, pi / 2)$value)
data$naive <- sin(pmin(pmax(eb, 0), pi / 2))^2
data$bc <- bc
data$A <- A
write.csv(data[, c("area", "x", "n", "deff", "estimate", "naive", "bc", "A")], "tests/data/arcsin_fh_reference.csv",
          row.names = FALSE)
print(head(data)); print(A)
