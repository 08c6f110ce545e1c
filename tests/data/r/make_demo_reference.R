# R's survey package on the demo consortium's two-stage design (6,361 respondents, 15 strata,
# 150 sectors, fpc at both stages), a realistic check beyond the api data.
# demo_wave1.csv was written from residentsurvey.demo.demo_design(seed=2026, wave=1).data.
# Run from this folder:  Rscript make_demo_reference.R   (writes demo_reference.csv)
suppressMessages(library(survey))
demo <- read.csv("demo_wave1.csv")
d <- svydesign(ids = ~sector + respondent_id, strata = ~stratum, weights = ~design_weight,
               fpc = ~sectors_in_stratum + adults_in_sector, data = demo)
rows <- list()
add <- function(case, domain, estimate, se, ci_lower = NA, ci_upper = NA) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, domain = domain, estimate = estimate, se = se,
                                          ci_lower = ci_lower, ci_upper = ci_upper,
                                          survey_version = as.character(packageVersion("survey")))
}
m <- svyby(~life_satisfaction, ~council, d, svymean, na.rm = TRUE)
for (i in seq_len(nrow(m))) add("mean_life_satisfaction_by_council", m$council[i], m[i, 2], m[i, 3])
s <- svyby(~satisfied_area, ~council, d, svyciprop, method = "logit", vartype = c("se", "ci"), na.rm = TRUE)
for (i in seq_len(nrow(s))) add("ciprop_logit_satisfied_area_by_council", s$council[i], s[i, 2], s[i, 3], s[i, 4], s[i, 5])
t <- svymean(~factor(q_trust), d, na.rm = TRUE)
for (i in seq_along(coef(t))) add("proportion_q_trust", sub("factor\\(q_trust\\)", "", names(coef(t))[i]),
                                  as.numeric(coef(t)[i]), as.numeric(SE(t)[i]))
add("degf", "", degf(d), NA)
write.csv(do.call(rbind, rows), "demo_reference.csv", row.names = FALSE)
