# Reference values for tests/tracking/test_reference_r.py: change between overlapping rolling windows.
# Data: tests/data/r/tracking_synthetic.csv (written by tests/tracking/synthetic.py, seed 1, with its period).
# Windows of two quarters: A = 2025Q1-Q2, B = 2025Q2-Q3, C = 2025Q3-Q4 (A and B share 2025Q2, A and C none).
# Each (respondent, window) is one row of a stacked design; strata are stratum x period, PSUs nested in them,
# so a respondent in two windows is in the same PSU in both. Change = mean in the later window minus the
# earlier, by svycontrast of the domain totals (delta method, as svyby(covmat=TRUE) + svycontrast). Calibrated: linear calibration of each window x council to
# sex totals (520 F, 480 M), done on the stacked design with the group-interacted model ~ wc + wc:sex, which
# is the same as calibrating each window x council on its own.
# Run: Rscript tests/data/r/make_tracking_reference.R  (from the repository root)
suppressMessages(library(survey))
d <- read.csv("tests/data/r/tracking_synthetic.csv", stringsAsFactors = FALSE)
windows <- list(A = c("2025Q1", "2025Q2"), B = c("2025Q2", "2025Q3"), C = c("2025Q3", "2025Q4"))
pairs <- list(c("A", "B"), c("A", "C"), c("B", "C"))
label <- function(w) paste(windows[[w]][1], windows[[w]][2], sep = "-")
out <- list()
for (pair in pairs) {
  s <- do.call(rbind, lapply(pair, function(w) transform(d[d$period %in% windows[[w]], ], win = w)))
  s$sp <- paste(s$stratum, s$period, sep = "|")
  s$wc <- factor(paste(s$win, s$council, sep = ":"))
  s$sexF <- as.numeric(s$sex == "F")
  des <- svydesign(ids = ~psu, strata = ~sp, weights = ~weight, nest = TRUE, data = s)
  lev <- levels(s$wc)
  pop <- c(`(Intercept)` = 1000 * length(lev))
  for (l in lev[-1]) pop[paste0("wc", l)] <- 1000
  for (l in lev) pop[paste0("wc", l, ":sexF")] <- 520
  cal <- calibrate(des, ~ wc + wc:sexF, population = pop, calfun = "linear")
  for (calibrated in c(FALSE, TRUE)) {
    design <- if (calibrated) cal else des
    for (variable in c("y", "z")) {
      for (council in unique(d$council)) {
        # change of domain means as a contrast of four totals (svyby(covmat=TRUE) stops on this calibrated
        # stacked design in survey 4.x: "number of items to replace is not a multiple of replacement length")
        ia <- as.numeric(s$wc == paste(pair[1], council, sep = ":"))
        ib <- as.numeric(s$wc == paste(pair[2], council, sep = ":"))
        vars <- data.frame(ya = s[[variable]] * ia, ia = ia, yb = s[[variable]] * ib, ib = ib)
        dd <- update(design, ya = vars$ya, ia = vars$ia, yb = vars$yb, ib = vars$ib)
        tot <- svytotal(~ya + ia + yb + ib, dd)
        ct <- svycontrast(tot, quote(yb / ib - ya / ia))
        out[[length(out) + 1]] <- data.frame(calibrated = calibrated, variable = variable, council = council,
          window_a = label(pair[1]), window_b = label(pair[2]), change = as.numeric(coef(ct)),
          se = as.numeric(SE(ct)), survey_version = as.character(packageVersion("survey")))
      }
    }
  }
}
write.csv(do.call(rbind, out), "tests/data/r/tracking_change_reference.csv", row.names = FALSE)
