# Weighted Cronbach's alpha from R's survey package (svycralpha) on apiclus1.
# Run from this folder:  Rscript make_alpha_reference.R   (writes alpha_reference.csv)
suppressMessages(library(survey))
data(api)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
a3 <- svycralpha(~ell + meals + mobility, dclus1)
a2 <- svycralpha(~api99 + api00, dclus1)
write.csv(data.frame(case = c("ell_meals_mobility", "api99_api00"), alpha = c(a3, a2),
                     survey_version = as.character(packageVersion("survey"))), "alpha_reference.csv", row.names = FALSE)
