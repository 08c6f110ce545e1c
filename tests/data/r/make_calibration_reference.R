# Reference values for calibrated designs from R's survey package (4.1.1): raking run to
# convergence, domain estimates on calibrated designs (domains equal to and cutting across the
# margins), and raking separately within groups (as residentsurvey's calibrate(by=...)).
# Run from this folder:  Rscript make_calibration_reference.R   (writes calibration_reference.csv)
suppressMessages(library(survey))
data(api)
apiclus1$grp <- ifelse(apiclus1$dnum < 400, "A", "B")
write.csv(apiclus1[, c("dnum", "pw", "fpc", "stype", "sch.wide", "awards", "api00", "enroll", "grp")],
          "apiclus1_calibration.csv", row.names = FALSE)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
pop.types <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))
pop.schwide <- data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122))
rows <- list()
add <- function(case, domain, estimate, se, ci_lower = NA, ci_upper = NA) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, domain = domain, estimate = as.numeric(estimate), se = as.numeric(se),
                                          ci_lower = as.numeric(ci_lower), ci_upper = as.numeric(ci_upper),
                                          survey_version = as.character(packageVersion("survey")))
}
addby <- function(case, by) for (i in seq_len(nrow(by))) add(case, as.character(by[i, 1]), by[i, 2], by[i, 3])

raked <- rake(dclus1, list(~stype, ~sch.wide), list(pop.types, pop.schwide),
              control = list(maxit = 100, epsilon = 1e-12))
m <- svymean(~api00, raked); add("rake_mean_api00", "", coef(m), SE(m))
t <- svytotal(~enroll, raked, na.rm = TRUE); add("rake_total_enroll", "", coef(t), SE(t))
addby("rake_mean_api00_by_stype", svyby(~api00, ~stype, raked, svymean))
addby("rake_mean_api00_by_awards", svyby(~api00, ~awards, raked, svymean))
cp <- svyby(~I(awards == "Yes"), ~stype, raked, svyciprop, method = "beta", vartype = c("se", "ci"))
for (i in seq_len(nrow(cp))) add("rake_ciprop_beta_awards_by_stype", as.character(cp$stype[i]), cp[i, 2], cp[i, 3], cp[i, 4], cp[i, 5])

# raking within groups: margins stype and sch.wide for each of grp A and B
pop.g.types <- data.frame(grp = rep(c("A", "B"), each = 3), stype = rep(c("E", "H", "M"), 2),
                          Freq = c(2000, 400, 500, 2421, 355, 518))
pop.g.schwide <- data.frame(grp = rep(c("A", "B"), each = 2), sch.wide = rep(c("No", "Yes"), 2),
                            Freq = c(500, 2400, 572, 2722))
byg <- rake(dclus1, list(~grp + stype, ~grp + sch.wide), list(pop.g.types, pop.g.schwide),
            control = list(maxit = 100, epsilon = 1e-12))
m <- svymean(~api00, byg); add("grouprake_mean_api00", "", coef(m), SE(m))
addby("grouprake_mean_api00_by_grp", svyby(~api00, ~grp, byg, svymean))
addby("grouprake_mean_api00_by_stype", svyby(~api00, ~stype, byg, svymean))
write.csv(do.call(rbind, rows), "calibration_reference.csv", row.names = FALSE)
write.csv(rbind(
  data.frame(grp = pop.g.types$grp, variable = "stype", category = pop.g.types$stype, total = pop.g.types$Freq),
  data.frame(grp = pop.g.schwide$grp, variable = "sch.wide", category = pop.g.schwide$sch.wide, total = pop.g.schwide$Freq)),
  "group_targets.csv", row.names = FALSE)
