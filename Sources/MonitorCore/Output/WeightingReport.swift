/// The weighting report (Markdown): scheme, frames, per-cell counts and weights, diagnostics.
public enum WeightingReport {
    public static func render(_ result: WeightingResult, scheme: WeightingScheme, frames: [Frame], source: String,
                              rowsRead: Int) -> String {
        let d = result.diagnostics
        var text = "# Weighting report: \(source)\n\n"
        text += "Scheme: `\(scheme.name)`" + (scheme.label.map { " (\($0))" } ?? "") + ". "
        text += "Method: \(scheme.method == .poststratify ? "post-stratification, w = d · N_h / Σ_h d (d = base weight)" : scheme.method == .rake ? "raking (iterative proportional fitting)" : "none (every respondent weighs 1, or its base weight)")"
        if let base = scheme.baseWeight { text += ", base weights from column `\(base)`" } else { text += ", equal base weights" }
        if let iterations = result.iterations { text += ", converged in \(iterations) iterations" }
        text += ".\n\n"
        text += "Frames: " + frames.map { "`\($0.source)` (N = \(NumberFormat.grouped(Int($0.total.rounded()))))" }.joined(separator: ", ") + ".\n\n"
        text += "Rows: \(NumberFormat.grouped(rowsRead)) read, \(NumberFormat.grouped(result.weights.count)) weighted, 0 rejected.\n\n"
        let scaleNote = result.scale == .population
            ? "population totals (the weights sum to the frame total, so weighted counts estimate population counts); divide by \(NumberFormat.fixed(d.mean, 6)) for mean-1 weights"
            : "mean 1 (the weights sum to the number of respondents); multiply by the population total / n for population weights"
        text += "Scale of the `weight` column: \(scaleNote).\n"
        if let trimmed = result.trimmed {
            text += "\nTrimmed to [\(NumberFormat.exact(trimmed.lower)), \(NumberFormat.exact(trimmed.upper))], trimmed mass spread equally over the other respondents (R survey `trimWeights`).\n"
        }
        for margin in result.margins {
            // The frame on the weights' scale: N_h · Σw / ΣN (the same as N_h for population-scale weights).
            let frameTotal = margin.cells.reduce(0) { $0 + $1.populationTotal }
            let weighted = margin.cells.reduce(0) { $0 + $1.weightedTotal }
            let toScale = frameTotal > 0 ? weighted / frameTotal : 1
            var table = MarkdownTable(headers: ["cell", "N (frame)", "n (respondents)", "weight (mean)", "weighted total", "difference from frame"],
                                      alignments: [.left, .right, .right, .right, .right, .right])
            for cell in margin.cells {
                if let into = cell.collapsedInto {
                    table.add([cell.label, "", "", "", "", "collapsed into \(into)"])
                    continue
                }
                table.add([cell.label, NumberFormat.exact(cell.populationTotal), NumberFormat.grouped(cell.respondents),
                           NumberFormat.fixed(cell.meanWeight, 4), NumberFormat.fixed(cell.weightedTotal, 4),
                           NumberFormat.fixed(cell.weightedTotal - cell.populationTotal * toScale, 4)])
            }
            text += "\n## Cells: \(margin.name)\n\n" + table.render()
            if let excluded = result.excluded[margin.name] {
                text += "\n\(excluded) respondent(s) outside this margin's frame were not adjusted on it.\n"
            }
        }
        var summary = MarkdownTable(headers: ["diagnostic", "value"], alignments: [.left, .right])
        summary.add(["respondents (n)", NumberFormat.grouped(d.n)])
        summary.add(["sum of weights", NumberFormat.fixed(d.sum, 4)])
        summary.add(["smallest weight", NumberFormat.fixed(d.minimum, 4)])
        summary.add(["largest weight", NumberFormat.fixed(d.maximum, 4)])
        summary.add(["largest / smallest", NumberFormat.fixed(d.ratio, 3)])
        summary.add(["coefficient of variation", NumberFormat.fixed(d.coefficientOfVariation, 4)])
        summary.add(["Kish design effect (1 + CV²)", NumberFormat.fixed(d.kishDesignEffect, 4)])
        summary.add(["effective sample size (Σw)² / Σw²", NumberFormat.fixed(d.effectiveSampleSize, 1)])
        text += "\n## Diagnostics\n\n" + summary.render()
        return text
    }
}
