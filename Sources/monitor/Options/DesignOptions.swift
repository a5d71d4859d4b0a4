import ArgumentParser
import MonitorCore

/// The sampling design, declared as R's `svydesign` takes it, or a built-in weighting scheme.
struct DesignOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Column with the sampling (or final) weights.", valueName: "col"))
    var weight: String?

    @Option(help: ArgumentHelp("Column with the stratum of each respondent.", valueName: "col"))
    var strata: String?

    @Option(help: ArgumentHelp("Column with the cluster (primary sampling unit) of each respondent: one-stage cluster sample.", valueName: "col"))
    var cluster: String?

    @Option(help: ArgumentHelp("Column with the population count of sampling units in the stratum (PSUs when clustered), or the sampling fraction (≤ 1).", valueName: "col"))
    var fpc: String?

    @Option(help: ArgumentHelp("Post-stratify (as R postStratify) on these cell columns, comma-separated (with --frame).", valueName: "cols"))
    var cell: String?

    @Option(help: ArgumentHelp("Population frame for --cell: the cell columns plus N.", valueName: "file"))
    var frame: String?

    @Option(help: ArgumentHelp("Weight with a built-in scheme (ambtsdragers, ambtsdragers-populatie, medewerkers) or a scheme .yaml file; variances allow for its post-stratification or raking.", valueName: "scheme"))
    var scheme: String?

    @Option(help: "A stratum with a single PSU: fail (R's default), certainty, remove or adjust.")
    var lonelyPsu: SurveyDesign.LonelyPSU = .fail

    func validate() throws {
        if (cell == nil) != (frame == nil) { throw ValidationError("--cell and --frame go together") }
        if scheme != nil && cell != nil { throw ValidationError("use --scheme or --cell/--frame, not both") }
        if scheme != nil && weight != nil { throw ValidationError("--scheme computes the weights: leave out --weight (a scheme's base weight is named in the scheme)") }
    }

    var cellColumns: [String] { cell.map { $0.split(separator: ",").map { String($0).trimmingSpaces() } } ?? [] }

    /// Respondent columns the design reads directly.
    var columns: [String] { [weight, strata, cluster, fpc].compactMap { $0 } + cellColumns }

    /// The declaration as plain values.
    var declaration: DesignDeclaration {
        DesignDeclaration(weight: weight, strata: strata, cluster: cluster, fpc: fpc, cellColumns: cellColumns, frame: frame,
                          scheme: scheme, lonelyPSU: lonelyPsu)
    }

    /// A description of the declaration in R's terms.
    var rDescription: String {
        var parts: [String] = []
        parts.append("ids=~\(cluster ?? "1")")
        if let strata { parts.append("strata=~\(strata)") }
        if let weight { parts.append("weights=~\(weight)") }
        if let fpc { parts.append("fpc=~\(fpc)") }
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
    var cluster: String?
    var fpc: String?
    var cellColumns: [String] = []
    var frame: String?
    var scheme: String?
    var lonelyPSU: SurveyDesign.LonelyPSU = .fail
}

extension SurveyDesign.LonelyPSU: ExpressibleByArgument {}
extension IntervalMethod: ExpressibleByArgument {}
extension EstimationReport.Format: ExpressibleByArgument {}
