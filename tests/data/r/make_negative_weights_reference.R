# Reference values for linear calibration that makes some weights negative, from R's survey package (4.1.1).
# apistrat (stratified by stype, with fpc) is split into two "councils", grp A (cnum <= 20) and B, and each is
# calibrated to its own population size, sch.wide counts and api99 total (a within-group calibration written as
# one model with grp interactions). The api99 totals are set so that 6 weights in A and 5 in B go negative.
# (svyciprop uses "beta": R's "logit" fits a glm, which refuses negative weights.)
# Two routes: unbounded linear calibration (R's regcalibrate) and linear calibration with bounds (-0.1, 2.2), both of which bind (R's grake).
# Also: a zero starting weight in a calibrated design (see the end).
# Run from this folder:  Rscript make_negative_weights_reference.R
#   writes negative_weights_reference.csv (estimates, SEs, degrees of freedom, negative weights per group)
#   and negative_weights_targets.csv (the targets in residentsurvey's tidy form).
suppressMessages(library(survey))
data(api)
d <- apistrat
d$grp <- ifelse(d$cnum <= 20, "A", "B")
d$awards_yes <- d$awards == "Yes"
ds <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = d)
targets <- data.frame(grp = c("A", "A", "B", "B", "A", "B"), variable = c(rep("sch.wide", 4), "api99", "api99"),
                      category = c("No", "Yes", "No", "Yes", NA, NA), total = c(600, 2300, 472, 2822, 2.05e6, 1.9e6))
pop <- c(grpA = 2900, grpB = 3294, `grpA:sch.wideYes` = 2300, `grpB:sch.wideYes` = 2822,
         `grpA:api99` = 2.05e6, `grpB:api99` = 1.9e6)
formula <- ~0 + grp + grp:sch.wide + grp:api99
rows <- list()
add <- function(case, domain, estimate, se = NA, ci_lower = NA, ci_upper = NA) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, domain = domain, estimate = as.numeric(estimate),
                                          se = as.numeric(se), ci_lower = as.numeric(ci_lower),
                                          ci_upper = as.numeric(ci_upper),
                                          survey_version = as.character(packageVersion("survey")))
}
addby <- function(case, by) for (i in seq_len(nrow(by))) add(case, as.character(by[i, 1]), by[i, 2], by[i, 3])
routes <- list(linear = calibrate(ds, formula, pop),
               bounded = calibrate(ds, formula, pop, bounds = c(-0.1, 2.2), epsilon = 1e-12, maxit = 100))
for (route in names(routes)) {
  cal <- routes[[route]]
  negative <- tapply(weights(cal) < 0, d$grp, sum)
  for (g in names(negative)) add(paste0(route, "_negative_weights"), g, negative[[g]])
  add(paste0(route, "_degf"), "", degf(cal))
  m <- svymean(~api00, cal); add(paste0(route, "_mean_api00"), "", coef(m), SE(m))
  t <- svytotal(~enroll, cal); add(paste0(route, "_total_enroll"), "", coef(t), SE(t))
  addby(paste0(route, "_mean_api00_by_grp"), svyby(~api00, ~grp, cal, svymean))
  addby(paste0(route, "_mean_api00_by_stype"), svyby(~api00, ~stype, cal, svymean))
  cp <- svyby(~awards_yes, ~grp, cal, svyciprop, method = "beta", vartype = c("se", "ci"))
  for (i in seq_len(nrow(cp))) add(paste0(route, "_ciprop_beta_awards_by_grp"), as.character(cp$grp[i]),
                                   cp[i, 2], cp[i, 3], cp[i, 4], cp[i, 5])
}

# A zero starting weight: R's calibrate() then divides 0 by 0 in the residuals and stops ("NA/NaN/Inf in foreign
# function call"), so the reference is the limit, a starting weight of 1e-10 on apiclus1's first school.
c1 <- apiclus1
c1$pw[1] <- 1e-10
dc <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = c1)
for (calfun in c("linear", "raking")) {
  cal <- calibrate(dc, ~stype, c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018), calfun = calfun, epsilon = 1e-12)
  m <- svymean(~api00, cal); add(paste0("zero_", calfun, "_mean_api00"), "", coef(m), SE(m))
  addby(paste0("zero_", calfun, "_mean_api00_by_stype"), svyby(~api00, ~stype, cal, svymean))
}
write.csv(do.call(rbind, rows), "negative_weights_reference.csv", row.names = FALSE)
write.csv(targets, "negative_weights_targets.csv", row.names = FALSE, na = "")
