# Reference values for lonely-PSU handling and missing values, from R's survey package.
# Run from this folder:  Rscript make_lonely_psu_reference.R   (writes lonely_psu_reference.csv)
# Produced with R 4.x and survey 4.1.1 (see the 'survey_version' column).
suppressMessages(library(survey))
data(api)
# Strata over apiclus1's 15 sampled districts, with sizes 1, 2, 3, 4, 5 so stratum "s1" has a lonely PSU.
districts <- sort(unique(apiclus1$dnum))
groups <- rep(paste0("s", 1:5), times = 1:5)
apiclus1$grp <- groups[match(apiclus1$dnum, districts)]
apiclus1$grp_fpc <- c(s1 = 4, s2 = 10, s3 = 30, s4 = 40, s5 = 50)[apiclus1$grp]
# api00 with some values missing (every 7th row), for na.rm with lonely "average"
apiclus1$api00_na <- apiclus1$api00
apiclus1$api00_na[seq(1, nrow(apiclus1), by = 7)] <- NA
write.csv(apiclus1[, c("dnum", "snum", "stype", "pw", "api00", "api00_na", "enroll", "grp", "grp_fpc")],
          "apiclus1_lonely.csv", row.names = FALSE)

rows <- list()
add <- function(case, lonely, call, est, domain = "") {
  rows[[length(rows) + 1]] <<- data.frame(case = case, lonely_psu = lonely, call = call, domain = domain,
                                          estimate = as.numeric(coef(est)), se = as.numeric(SE(est)),
                                          survey_version = as.character(packageVersion("survey")))
}
for (lonely in c("remove", "certainty", "adjust", "average")) {
  options(survey.lonely.psu = lonely)
  for (with_fpc in c(FALSE, TRUE)) {
    d <- if (with_fpc) svydesign(id = ~dnum, strata = ~grp, weights = ~pw, fpc = ~grp_fpc, data = apiclus1)
         else svydesign(id = ~dnum, strata = ~grp, weights = ~pw, data = apiclus1)
    tag <- if (with_fpc) "fpc" else "wr"
    add(paste0("mean_api00_", tag), lonely, "svymean(~api00)", svymean(~api00, d))
    add(paste0("total_enroll_", tag), lonely, "svytotal(~enroll)", svytotal(~enroll, d))
    add(paste0("mean_api00na_", tag), lonely, "svymean(~api00_na, na.rm=TRUE)", svymean(~api00_na, d, na.rm = TRUE))
    by <- svyby(~api00, ~stype, d, svymean)
    for (i in seq_len(nrow(by))) {
      rows[[length(rows) + 1]] <- data.frame(case = paste0("mean_api00_by_stype_", tag), lonely_psu = lonely,
                                             call = "svyby(~api00, ~stype, svymean)", domain = as.character(by$stype[i]),
                                             estimate = by$api00[i], se = by$se[i],
                                             survey_version = as.character(packageVersion("survey")))
    }
    byna <- svyby(~api00_na, ~stype, d, svymean, na.rm = TRUE)
    for (i in seq_len(nrow(byna))) {
      rows[[length(rows) + 1]] <- data.frame(case = paste0("mean_api00na_by_stype_", tag), lonely_psu = lonely,
                                             call = "svyby(~api00_na, ~stype, svymean, na.rm=TRUE)",
                                             domain = as.character(byna$stype[i]),
                                             estimate = byna$api00_na[i], se = byna$se[i],
                                             survey_version = as.character(packageVersion("survey")))
    }
  }
}
out <- do.call(rbind, rows)
write.csv(out, "lonely_psu_reference.csv", row.names = FALSE)
# the error message under "fail"
options(survey.lonely.psu = "fail")
d <- svydesign(id = ~dnum, strata = ~grp, weights = ~pw, data = apiclus1)
print(try(svymean(~api00, d)))
