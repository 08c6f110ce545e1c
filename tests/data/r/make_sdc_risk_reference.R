# Reference for residentsurvey.publish._risk: sdcMicro 5.8.0's own freqCalc() and indivRisk() code.
#
# sdcMicro need not be installed: its two R files are sourced from the package source
# (https://github.com/cran/sdcMicro, tag 5.8.0: R/freqCalc.r and R/indivRisk.R; both pure R,
# freqCalc needs data.table). Run from the repository root:
#
#   Rscript tests/data/r/make_sdc_risk_reference.R /path/to/sdcMicro-source > tests/data/sdc_risk_reference.csv
#
# Input: tests/data/sdc_risk_input.csv (240 records, four keys with missing values, weights).
suppressMessages(library(data.table))
args <- commandArgs(trailingOnly = TRUE)
src <- if (length(args)) args[1] else "sdcMicro"
source(file.path(src, "R", "freqCalc.r"))
source(file.path(src, "R", "indivRisk.R"))
x <- read.csv("tests/data/sdc_risk_input.csv")
keys <- c("council", "age_band", "sex", "tenure")
f <- freqCalc(x, keyVars = keys, w = "weight")
r <- indivRisk(f, method = "approx")
out <- data.frame(row = seq_len(nrow(x)), fk = f$fk, Fk = f$Fk, risk = r$rk)
write.csv(format(out, digits = 17), stdout(), row.names = FALSE, quote = FALSE)
