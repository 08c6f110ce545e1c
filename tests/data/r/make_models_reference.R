# Reference values for design-based regression (residentsurvey.models) from R's survey package (4.1.1):
# svyglm (gaussian, quasibinomial, quasipoisson; whole design, a domain, a calibrated design), regTermTest
# (Wald), predict(se.fit=TRUE), svypredmeans, svyolr; and LMG shares on mtcars, unweighted and weighted.
# Run from this folder:  Rscript make_models_reference.R
#   writes ../models_reference.csv (case, term, estimate, se, df) and ../mtcars.csv
suppressMessages(library(survey))
data(api)
rows <- list()
add <- function(case, term, estimate, se = NA, df = NA) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, term = term, estimate = as.numeric(estimate),
                                          se = as.numeric(se), df = as.numeric(df),
                                          survey_version = as.character(packageVersion("survey")))
}
addfit <- function(case, fit) {
  s <- summary(fit)$coefficients
  for (i in seq_len(nrow(s))) add(case, rownames(s)[i], s[i, 1], s[i, 2], fit$df.residual)
}
apistrat$sw <- as.numeric(apistrat$sch.wide == "Yes")
apistrat$mealcat <- as.integer(cut(apistrat$meals, c(0, 25, 50, 75, 100), include.lowest = TRUE))
apiclus1$sw <- as.numeric(apiclus1$sch.wide == "Yes")
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
dclus2 <- svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2)

f1 <- svyglm(api00 ~ ell + meals + mobility, design = dstrat)
addfit("strat_gaussian", f1)
f2 <- svyglm(sw ~ ell + meals + stype, design = dstrat, family = quasibinomial())
addfit("strat_binomial", f2)
f3 <- svyglm(api.stu ~ ell + stype, design = dclus1, family = quasipoisson())
addfit("clus1_poisson", f3)
f4 <- svyglm(api00 ~ ell + meals, design = subset(dstrat, stype == "E"))
addfit("strat_gaussian_subset_E", f4)
f5 <- svyglm(api00 ~ ell + meals + ell:meals, design = dclus2)
addfit("clus2_gaussian_interaction", f5)
pop.types <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))
dclus1p <- postStratify(dclus1, ~stype, pop.types)
f6 <- svyglm(api00 ~ ell + mobility, design = dclus1p)
addfit("clus1_poststratified_gaussian", f6)
f7 <- svyglm(sw ~ ell + meals, design = dclus1p, family = quasibinomial())
addfit("clus1_poststratified_binomial", f7)

w <- regTermTest(f1, ~ell + meals, method = "Wald")
add("wald_strat_gaussian_ell_meals", "F", w$Ftest, NA, w$df)
add("wald_strat_gaussian_ell_meals", "df_den", w$ddf)
add("wald_strat_gaussian_ell_meals", "p_value", w$p)
w <- regTermTest(f2, ~stype, method = "Wald")
add("wald_strat_binomial_stype", "F", w$Ftest, NA, w$df)
add("wald_strat_binomial_stype", "df_den", w$ddf)
add("wald_strat_binomial_stype", "p_value", w$p)

nd <- data.frame(ell = c(10, 30), meals = c(20, 60), mobility = c(5, 15), stype = c("E", "H"))
p <- predict(f1, newdata = nd, se.fit = TRUE)
for (i in 1:2) add("predict_strat_gaussian", paste0("row", i), coef(p)[i], SE(p)[i])
p <- predict(f2, newdata = nd, se.fit = TRUE, type = "response")
for (i in 1:2) add("predict_strat_binomial_response", paste0("row", i), coef(p)[i], SE(p)[i])

fa <- svyglm(sw ~ ell + meals + mobility, design = dstrat, family = quasibinomial())
m <- svypredmeans(fa, ~stype)  # adds stype to the model: margins of sw ~ ell + meals + mobility + stype
for (g in names(coef(m))) add("predmeans_strat_binomial_plus_stype", g, coef(m)[g], SE(m)[g])

# svyolr's defaults stop optim about 1e-4 (relative) short of the maximum and take the Hessian by finite
# differences of step 1e-3, which moves the SEs by about 1e-4; run it to convergence with a fine step
o <- svyolr(factor(mealcat) ~ ell + mobility, design = dstrat,
            control = list(reltol = 1e-14, maxit = 1000, ndeps = rep(1e-6, 5)))
co <- coef(o); v <- sqrt(diag(vcov(o)))
for (nm in names(co)) add("olr_strat_mealcat", nm, co[nm], v[nm])

# LMG (Shapley share of R^2 over orderings) by brute force from lm fits, unweighted and weighted
lmg <- function(formula_terms, y, data, w = NULL) {
  r2 <- function(s) {
    if (length(s) == 0) return(0)
    data$.wts <- if (is.null(w)) rep(1, nrow(data)) else w  # lm() looks weights up in data first
    fit <- lm(reformulate(s, y), data = data, weights = .wts)
    summary(fit)$r.squared
  }
  p <- length(formula_terms); shares <- setNames(numeric(p), formula_terms)
  perms <- function(v) if (length(v) <= 1) list(v) else do.call(c, lapply(seq_along(v), function(i) lapply(perms(v[-i]), function(q) c(v[i], q))))
  all <- perms(formula_terms)
  for (ord in all) for (k in seq_len(p)) shares[ord[k]] <- shares[ord[k]] + r2(ord[1:k]) - r2(ord[seq_len(k - 1)])
  shares / length(all)
}
mt <- mtcars
mt$wgt <- 1 + (seq_len(nrow(mt)) %% 4)
write.csv(cbind(car = rownames(mt), mt), "../mtcars.csv", row.names = FALSE)
s <- lmg(c("am", "vs", "cyl"), "mpg", mt)
for (nm in names(s)) add("lmg_mtcars", nm, s[nm])
add("lmg_mtcars", "r2", summary(lm(mpg ~ am + vs + cyl, data = mt))$r.squared)
s <- lmg(c("am", "vs", "cyl", "wt"), "mpg", mt, w = mt$wgt)
for (nm in names(s)) add("lmg_mtcars_weighted", nm, s[nm])
add("lmg_mtcars_weighted", "r2", summary(lm(mpg ~ am + vs + cyl + wt, data = mt, weights = wgt))$r.squared)
sw <- lm(mpg ~ am + vs + cyl + wt, data = mt, weights = wgt)
sdx <- sapply(c("am", "vs", "cyl", "wt"), function(v) sqrt(cov.wt(mt[, v, drop = FALSE], wt = mt$wgt)$cov[1]))
sdy <- sqrt(cov.wt(mt[, "mpg", drop = FALSE], wt = mt$wgt)$cov[1])
for (nm in names(sdx)) add("beta_mtcars_weighted", nm, coef(sw)[nm] * sdx[nm] / sdy)
write.csv(do.call(rbind, rows), "../models_reference.csv", row.names = FALSE)

# replicate designs: svyglm refits in every replicate (R's svrVar of the coefficients)
rows <- list()
dstrat_jkn <- as.svrepdesign(dstrat, type = "JKn")
addfit("strat_jkn_gaussian", svyglm(api00 ~ ell + meals + mobility, design = dstrat_jkn))
dclus1_jk1 <- as.svrepdesign(dclus1, type = "JK1")
addfit("clus1_jk1_binomial", svyglm(sw ~ ell + meals, design = dclus1_jk1, family = quasibinomial()))
write.csv(do.call(rbind, rows), "../models_replicate_reference.csv", row.names = FALSE)
