# Fay-Herriot reference values on the milk data for every area, REML and ML, from R sae 1.3's own code.
# sae is not installed here, so its two functions are sourced from the package sources (CRAN sae 1.3,
# R/eblupFH.R and R/mseFH.R, unchanged):
#   Rscript tests/data/r/make_milk_fh_reference.R path/to/sae/R
# Output: tests/data/milk_fh_reference.csv (method, area, eblup, mse) and the coefficients and variance
# (method, area = 0 for A, -k for beta_k, with se in the mse column).
args <- commandArgs(trailingOnly = TRUE)
source(file.path(args[1], "eblupFH.R"))
source(file.path(args[1], "mseFH.R"))
milk <- read.csv("tests/data/milk.csv", comment.char = "#")
milk$vardir <- milk$SD^2
rows <- list()
for (method in c("REML", "ML")) {
  fit <- mseFH(yi ~ as.factor(MajorArea), vardir, method = method, data = milk)
  rows[[length(rows) + 1]] <- data.frame(method = method, area = milk$SmallArea,
                                         eblup = as.numeric(fit$est$eblup), mse = fit$mse)
  rows[[length(rows) + 1]] <- data.frame(method = method, area = 0, eblup = fit$est$fit$refvar, mse = NA)
  coef <- fit$est$fit$estcoef
  rows[[length(rows) + 1]] <- data.frame(method = method, area = -seq_len(nrow(coef)), eblup = coef$beta,
                                         mse = coef$std.error)
}
out <- do.call(rbind, rows)
write.csv(out, "tests/data/milk_fh_reference.csv", row.names = FALSE, quote = FALSE)
print(head(out))
