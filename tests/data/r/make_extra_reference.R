# Extra reference values from R's survey package for what ../r_survey_reference.csv does not cover:
# domain contrasts (svycontrast on svyby covmat=TRUE), svyciprop within domains, domain design
# effects, domain ratios and two by-variables.  Run from this folder:  Rscript make_extra_reference.R
suppressMessages(library(survey))
data(api)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)
dclus2 <- svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2)
designs <- list(clus1 = dclus1, strat = dstrat, clus2 = dclus2)
rows <- list()
add <- function(case, design, call, domain, estimate, se, extra = NA_real_, ci_lower = NA_real_, ci_upper = NA_real_) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, design = design, call = call, domain = domain,
                                          estimate = estimate, se = se, extra = extra,
                                          ci_lower = ci_lower, ci_upper = ci_upper,
                                          survey_version = as.character(packageVersion("survey")))
}
for (name in names(designs)) {
  d <- designs[[name]]
  by <- svyby(~api00, ~stype, d, svymean, covmat = TRUE)
  for (pair in list(c("E", "H"), c("E", "M"), c("H", "M"))) {
    w <- setNames(as.numeric(rownames(by) == pair[1]) - as.numeric(rownames(by) == pair[2]), rownames(by))
    con <- svycontrast(by, w)
    add("difference_api00_stype", name, "svycontrast(svyby(~api00,~stype,svymean,covmat=TRUE))",
        paste(pair, collapse = "-"), as.numeric(coef(con)), as.numeric(SE(con)))
  }
  dm <- svyby(~api00, ~stype, d, svymean, deff = TRUE)
  for (i in seq_len(nrow(dm))) add("mean_deff_by_stype", name, "svyby(~api00,~stype,svymean,deff=TRUE)",
                                   as.character(dm$stype[i]), dm$api00[i], dm$se[i], dm$DEff.api00[i])
  dmr <- svyby(~api00, ~stype, d, svymean, deff = "replace")
  for (i in seq_len(nrow(dmr))) add("mean_deffreplace_by_stype", name, "svyby(~api00,~stype,svymean,deff='replace')",
                                    as.character(dmr$stype[i]), dmr$api00[i], dmr$se[i], dmr$DEff.api00[i])
  tt <- svytotal(~enroll, d, deff = TRUE, na.rm = TRUE)
  add("total_deff", name, "svytotal(~enroll,deff=TRUE,na.rm=TRUE)", "", as.numeric(coef(tt)), as.numeric(SE(tt)), as.numeric(deff(tt)))
  rt <- svyby(~api.stu, ~stype, d, svyratio, denominator = ~enroll, na.rm = TRUE)
  for (i in seq_len(nrow(rt))) add("ratio_by_stype", name, "svyby(~api.stu,~stype,svyratio,denominator=~enroll,na.rm=TRUE)",
                                   as.character(rt$stype[i]), rt[i, 2], rt[i, 3])
  for (method in c("logit", "likelihood", "beta", "mean", "asin")) {
    cp <- svyby(~I(sch.wide == "Yes"), ~stype, d, svyciprop, method = method, vartype = c("se", "ci"))
    for (i in seq_len(nrow(cp))) {
      lower <- cp[i, 4]; upper <- cp[i, 5]
      call <- paste0("svyby(~I(sch.wide=='Yes'),~stype,svyciprop,method='", method, "')")
      if (method == "likelihood") {
        # svyciprop interpolates a spline through a coarse profile (errors up to 5e-4 here); record
        # the converged profile interval instead, from a fine grid of the same profile.
        sub <- subset(d, stype == cp$stype[i])
        fit <- svyglm(I(sch.wide == "Yes") ~ 1, sub, family = quasibinomial)
        ci <- plogis(suppressMessages(confint(fit, 1, method = "likelihood", ddf = degf(sub), del = 0.01, maxsteps = 5000)))
        lower <- ci[1]; upper <- ci[2]
        call <- paste0(call, " with confint(svyglm, method='likelihood', del=0.01, maxsteps=5000) per domain")
      }
      add(paste0("ciprop_", method, "_by_stype"), name, call, as.character(cp$stype[i]), cp[i, 2], cp[i, 3], NA, lower, upper)
    }
  }
  two <- svyby(~api00, ~stype + awards, d, svymean)
  for (i in seq_len(nrow(two))) add("mean_by_stype_awards", name, "svyby(~api00,~stype+awards,svymean)",
                                    paste(two$stype[i], two$awards[i], sep = "|"), two$api00[i], two$se[i])
  add("degf", name, "degf(design)", "", degf(d), NA)
}
write.csv(do.call(rbind, rows), "extra_reference.csv", row.names = FALSE)
