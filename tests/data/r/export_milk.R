# Export R sae's milk data (Arora and Lahiri 1997; You and Chapman 2006) to tests/data/milk.csv.
# Source: CRAN package sae 1.3 (2020-03-01), file data/milk.rda. sae need not be installed:
#   Rscript tests/data/r/export_milk.R path/to/sae/data/milk.rda
args <- commandArgs(trailingOnly = TRUE)
load(args[1])
out <- file("tests/data/milk.csv", "w")
writeLines("# milk: 43 small areas, fresh milk expenditure 1989; R package sae 1.3 data/milk.rda (Arora and Lahiri 1997)", out)
write.csv(milk, out, row.names = FALSE)
close(out)
# The reference values in tests/data/milk_sae_reference.csv are R sae's published output, as quoted in issue 14:
#   library(sae); data(milk); attach(milk)
#   eblupFH(yi ~ as.factor(MajorArea), SD^2, method = "REML")   # and method = "ML"
#   mseFH(yi ~ as.factor(MajorArea), SD^2)
