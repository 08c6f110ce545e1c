# Weighted Cronbach's alpha (svycralpha, R survey) of the demo's belonging, cohesion and influence items,
# with "don't know" (code 9) left out (listwise, as rs.cronbach_alpha does) and, for contrast, counted as an answer.
# demo_alpha_items.csv was written from residentsurvey.demo_consortium(seed=2026, wave=1)
#   [["design_weight", "q_belonging", "q_cohesion", "q_influence"]].
# Run from this folder:  Rscript make_demo_alpha_reference.R   (writes demo_alpha_reference.csv)
suppressMessages(library(survey))
items <- read.csv("demo_alpha_items.csv")
left_out <- items
left_out[left_out == 9 & col(left_out) > 1] <- NA
left_out <- left_out[complete.cases(left_out), ]
counted <- items[complete.cases(items), ]
a_out <- svycralpha(~q_belonging + q_cohesion + q_influence, svydesign(ids = ~1, weights = ~design_weight, data = left_out))
a_in <- svycralpha(~q_belonging + q_cohesion + q_influence, svydesign(ids = ~1, weights = ~design_weight, data = counted))
write.csv(data.frame(case = c("dont_know_left_out", "dont_know_counted"), alpha = c(a_out, a_in),
                     n = c(nrow(left_out), nrow(counted)), survey_version = as.character(packageVersion("survey"))),
          "demo_alpha_reference.csv", row.names = FALSE)
