# Reference values for replicate-weight designs (R survey 4.1.1), for tests/analysis/test_replicate_reference.py.
# Run from this folder:  Rscript make_replicate_reference.R   (writes ../replicate_reference.csv)
# The BRR/Fay designs pair PSUs within strata built from apistrat sorted by snum, as the Python test does:
#   k strata of 2 PSUs, each PSU a block of consecutive schools (brr10: 10 strata, 20 PSUs of 10 schools;
#   brr6: 6 strata, 12 PSUs of the first 192 schools ... 16 each).
suppressMessages(library(survey))
data(api)
rows <- list()
add <- function(case, design, call, variable, domain, estimate, se, ci_lower = NA_real_, ci_upper = NA_real_, df = NA_real_) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, design = design, call = call, variable = variable,
                                          domain = domain, estimate = estimate, se = se, ci_lower = ci_lower,
                                          ci_upper = ci_upper, df = df,
                                          survey_version = as.character(packageVersion("survey")))
}
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
dclus1n <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1)
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
dstratn <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat)
pairs <- function(k, size) {
  d <- apistrat[order(apistrat$snum), ][seq_len(2 * k * size), ]
  d$psu <- rep(seq_len(2 * k), each = size)
  d$pair <- rep(seq_len(k), each = 2 * size)
  svydesign(id = ~psu, strata = ~pair, weights = ~pw, data = d)
}
designs <- list(
  jk1 = as.svrepdesign(dclus1, type = "JK1"),
  jk1_mse = as.svrepdesign(dclus1, type = "JK1", mse = TRUE),
  jk1_nofpc = as.svrepdesign(dclus1n, type = "JK1"),
  jkn = as.svrepdesign(dstrat, type = "JKn"),
  jkn_nofpc = as.svrepdesign(dstratn, type = "JKn"),
  brr10 = as.svrepdesign(pairs(10, 10), type = "BRR"),
  fay10 = as.svrepdesign(pairs(10, 10), type = "Fay", fay.rho = 0.3),
  brr6 = as.svrepdesign(pairs(6, 16), type = "BRR"),
  brr14 = as.svrepdesign(pairs(14, 7), type = "BRR")
)
for (name in names(designs)) {
  d <- designs[[name]]
  add("degf", name, "degf()", "", "", degf(d), NA_real_, df = degf(d))
  add("scale", name, "scale", "", "", d$scale, NA_real_)
  add("n_replicates", name, "ncol(weights(d))", "", "", ncol(weights(d, "analysis")), NA_real_)
  add("rscales_sum", name, "sum(rscales)", "", "", sum(d$rscales), NA_real_)
  for (v in c("api00", "api99")) {
    m <- svymean(as.formula(paste0("~", v)), d)
    add("mean", name, "svymean", v, "", coef(m), SE(m))
  }
  t <- svytotal(~enroll, d, na.rm = TRUE)
  add("total", name, "svytotal(na.rm=TRUE)", "enroll", "", coef(t), SE(t))
  t <- svytotal(~stype, d)
  for (i in seq_along(coef(t))) add("total_factor", name, "svytotal(~stype)", "stype", sub("stype", "", names(coef(t))[i]), coef(t)[i], SE(t)[i])
  m <- svymean(~stype, d)
  for (i in seq_along(coef(m))) add("mean_factor", name, "svymean(~stype)", "stype", sub("stype", "", names(coef(m))[i]), coef(m)[i], SE(m)[i])
  b <- svyby(~api00, ~stype, d, svymean)
  for (i in seq_len(nrow(b))) add("mean_by", name, "svyby(~api00,~stype,svymean)", "api00", as.character(b$stype[i]), b$api00[i], b$se[i])
  b <- svyby(~enroll, ~stype, d, svytotal, na.rm = TRUE)
  for (i in seq_len(nrow(b))) add("total_by", name, "svyby(~enroll,~stype,svytotal,na.rm=TRUE)", "enroll", as.character(b$stype[i]), b$enroll[i], b$se[i])
  r <- svyratio(~api.stu, ~enroll, d, na.rm = TRUE)
  add("ratio", name, "svyratio(~api.stu,~enroll,na.rm=TRUE)", "api.stu/enroll", "", coef(r), SE(r))
  b <- svyby(~api00, ~stype, d, svymean, covmat = TRUE)
  for (pair in list(c("E", "H"), c("E", "M"))) {
    w <- setNames(as.numeric(rownames(b) == pair[1]) - as.numeric(rownames(b) == pair[2]), rownames(b))
    con <- svycontrast(b, w)
    add("difference", name, "svycontrast(svyby(~api00,~stype,svymean,covmat=TRUE))", "api00",
        paste(pair, collapse = "-"), as.numeric(coef(con)), as.numeric(SE(con)))
  }
  for (method in c("logit", "beta", "mean", "asin", "xlogit")) {
    cp <- svyciprop(~I(sch.wide == "Yes"), d, method = method)
    ci <- attr(cp, "ci")
    add("ciprop", name, paste0("svyciprop(method='", method, "')"), "sch.wide_yes", "", as.numeric(cp),
        sqrt(as.numeric(attr(cp, "var"))), ci[1], ci[2], degf(d))
    cp <- svyby(~I(sch.wide == "Yes"), ~stype, d, svyciprop, method = method, vartype = c("se", "ci"))
    for (i in seq_len(nrow(cp))) {
      sub <- subset(d, stype == cp$stype[i])
      add("ciprop_by", name, paste0("svyby(svyciprop,method='", method, "')"), "sch.wide_yes",
          as.character(cp$stype[i]), cp[i, 2], cp[i, 3], cp[i, 4], cp[i, 5], degf(sub))
    }
  }
  mm <- svymean(~api00, d, deff = TRUE)
  add("mean_deff", name, "svymean(~api00,deff=TRUE)", "api00", "", coef(mm), SE(mm), df = deff(mm))
}
# lonely PSUs carried into JKn (R's jknweights follows options(survey.lonely.psu)): apistrat with one high school
lonely <- apistrat[apistrat$stype != "H" | apistrat$snum == min(apistrat$snum[apistrat$stype == "H"]), ]
for (rule in c("adjust", "average", "remove", "certainty")) {
  options(survey.lonely.psu = rule)
  d <- as.svrepdesign(svydesign(id = ~1, strata = ~stype, weights = ~pw, data = lonely), type = "JKn")
  name <- paste0("jkn_lonely_", rule)
  add("scale", name, "scale", "", "", d$scale, NA_real_)
  add("n_replicates", name, "ncol(weights(d))", "", "", ncol(weights(d, "analysis")), NA_real_)
  add("degf", name, "degf()", "", "", degf(d), NA_real_, df = degf(d))
  m <- svymean(~api00, d)
  add("mean", name, "svymean", "api00", "", coef(m), SE(m))
  b <- svyby(~api00, ~stype, d, svymean)
  for (i in seq_len(nrow(b))) add("mean_by", name, "svyby(~api00,~stype,svymean)", "api00", as.character(b$stype[i]), b$api00[i], b$se[i])
}
options(survey.lonely.psu = "fail")
# calibration on a replicate design: every replicate re-calibrated (calibrate.svyrep.design)
d <- designs$jk1
pop.types <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))
pop.schwide <- data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122))
cal <- list(
  jk1_poststratify = postStratify(d, ~stype, pop.types),
  jk1_rake = rake(d, list(~stype, ~sch.wide), list(pop.types, pop.schwide), control = list(epsilon = 1e-10, maxit = 100)),
  jk1_linear = calibrate(d, ~stype, c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018)),
  jk1_raking = calibrate(d, ~stype + sch.wide, c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, sch.wideYes = 5122),
                         calfun = "raking", epsilon = 1e-10)
)
for (name in names(cal)) {
  c1 <- cal[[name]]
  for (v in c("api00", "api99")) {
    m <- svymean(as.formula(paste0("~", v)), c1)
    add("mean", name, "svymean", v, "", coef(m), SE(m))
  }
  t <- svytotal(~enroll, c1, na.rm = TRUE)
  add("total", name, "svytotal(na.rm=TRUE)", "enroll", "", coef(t), SE(t))
  b <- svyby(~api00, ~stype, c1, svymean)
  for (i in seq_len(nrow(b))) add("mean_by", name, "svyby(~api00,~stype,svymean)", "api00", as.character(b$stype[i]), b$api00[i], b$se[i])
  t <- svytotal(~stype, c1)
  for (i in seq_along(coef(t))) add("total_factor", name, "svytotal(~stype)", "stype", sub("stype", "", names(coef(t))[i]), coef(t)[i], SE(t)[i])
}
# quantiles on a replicate design (interval.type="mean": Woodruff with the replicate SE of the CDF; "quantile": replicate quantiles)
for (name in c("jk1", "jkn", "brr10")) {
  d <- designs[[name]]
  for (type in c("mean", "quantile")) {
    q <- suppressWarnings(svyquantile(~api00, d, c(0.25, 0.5, 0.9), interval.type = type))$api00
    for (i in seq_len(nrow(q))) add(paste0("quantile_", type), name, paste0("svyquantile(interval.type='", type, "')"),
                                    "api00", rownames(q)[i], q[i, 1], q[i, 4], q[i, 2], q[i, 3])
  }
}
out <- do.call(rbind, rows)
write.csv(out, "../replicate_reference.csv", row.names = FALSE)
cat(nrow(out), "rows written\n")
