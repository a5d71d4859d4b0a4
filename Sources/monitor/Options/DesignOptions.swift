import ArgumentParser
import MonitorCore

/// The sampling design, declared as R's `svydesign` takes it, or a built-in weighting scheme.
struct DesignOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Column with the sampling (or final) weights.", valueName: "col"))
    var weight: String?

    @Option(help: ArgumentHelp("Column with the stratum of each respondent.", valueName: "col"))
    var strata: String?

    @Option(help: ArgumentHelp("Column with the cluster (primary sampling unit) of each respondent; for a multi-stage sample one column per stage, comma-separated (R ids=~psu+ssu).", valueName: "cols"))
    var cluster: String?

    @Option(help: ArgumentHelp("Column with the population count of sampling units in the stratum (PSUs when clustered), or the sampling fraction (≤ 1); one per stage with a multi-stage --cluster, comma-separated (later stages: units in the previous stage's cluster).", valueName: "cols"))
    var fpc: String?

    @Option(help: ArgumentHelp("Post-stratify (as R postStratify) on these cell columns, comma-separated (with --frame).", valueName: "cols"))
    var cell: String?

    @Option(help: ArgumentHelp("Population frame for --cell: the cell columns plus N.", valueName: "file"))
    var frame: String?

    @Option(help: ArgumentHelp("Weight with a built-in scheme (ambtsdragers, ambtsdragers-populatie, medewerkers) or a scheme .yaml file; variances allow for its post-stratification or raking.", valueName: "scheme"))
    var scheme: String?

    @Option(help: "A stratum with a single PSU: fail (R's default), certainty, remove, adjust or average.")
    var lonelyPsu: SurveyDesign.LonelyPSU = .fail

    func validate() throws {
        if (cell == nil) != (frame == nil) { throw ValidationError("--cell and --frame go together") }
        if scheme != nil && cell != nil { throw ValidationError("use --scheme or --cell/--frame, not both") }
        if scheme != nil && weight != nil { throw ValidationError("--scheme computes the weights: leave out --weight (a scheme's base weight is named in the scheme)") }
        if strata?.contains(",") == true {
            throw ValidationError("--strata takes one column: strata are supported at the first stage only (later stages are stratified by the previous stage's clusters)")
        }
        for (name, columns) in [("--cluster", clusterColumns), ("--fpc", fpcColumns)] where columns.contains(where: \.isEmpty) {
            throw ValidationError("\(name) has an empty column name: give the columns comma-separated, e.g. \(name == "--fpc" ? "fpc1,fpc2" : "dnum,snum")")
        }
        if !fpcColumns.isEmpty && fpcColumns.count != max(clusterColumns.count, 1) {
            let stages = max(clusterColumns.count, 1)
            throw ValidationError("--fpc has \(fpcColumns.count) column\(fpcColumns.count == 1 ? "" : "s") for \(stages) sampling stage\(stages == 1 ? "" : "s"): give one per --cluster column, in the same order (e.g. --cluster dnum,snum --fpc fpc1,fpc2)")
        }
    }

    var cellColumns: [String] { Self.split(cell) }
    /// One cluster column per stage, and one fpc column per stage.
    var clusterColumns: [String] { Self.split(cluster) }
    var fpcColumns: [String] { Self.split(fpc) }

    private static func split(_ list: String?) -> [String] {
        list.map { $0.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() } } ?? []
    }

    /// Respondent columns the design reads directly.
    var columns: [String] { [weight, strata].compactMap { $0 } + clusterColumns + fpcColumns + cellColumns }

    /// The declaration as plain values.
    var declaration: DesignDeclaration {
        DesignDeclaration(weight: weight, strata: strata, clusters: clusterColumns, fpc: fpcColumns, cellColumns: cellColumns,
                          frame: frame, scheme: scheme, lonelyPSU: lonelyPsu)
    }

    /// A description of the declaration in R's terms, e.g. svydesign(ids=~dnum+snum, fpc=~fpc1+fpc2).
    var rDescription: String {
        var parts: [String] = []
        parts.append("ids=~\(clusterColumns.isEmpty ? "1" : clusterColumns.joined(separator: "+"))")
        if let strata { parts.append("strata=~\(strata)") }
        if let weight { parts.append("weights=~\(weight)") }
        if !fpcColumns.isEmpty { parts.append("fpc=~\(fpcColumns.joined(separator: "+"))") }
        var text = "svydesign(\(parts.joined(separator: ", ")))"
        if let cell { text = "postStratify(\(text), ~\(cellColumns.joined(separator: "+")), \(frame ?? ""))" }
        if let scheme { text = "scheme \(scheme) over \(text)" }
        return text
    }
}

/// What the design options declare, as plain values (also built by commands that choose the design themselves).
struct DesignDeclaration {
    var weight: String?
    var strata: String?
    /// One column per sampling stage (empty: every respondent its own PSU), and one fpc column per stage.
    var clusters: [String] = []
    var fpc: [String] = []
    var cellColumns: [String] = []
    var frame: String?
    var scheme: String?
    var lonelyPSU: SurveyDesign.LonelyPSU = .fail
}

extension SurveyDesign.LonelyPSU: ExpressibleByArgument {}
extension IntervalMethod: ExpressibleByArgument {}
extension EstimationReport.Format: ExpressibleByArgument {}
