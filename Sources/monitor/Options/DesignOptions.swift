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

    @Flag(help: "Do not weigh a survey's file by its scheme (the default on a file the codebook recognises, or with --survey): every respondent weight 1, R svydesign(ids=~1).")
    var unweighted = false

    func validate() throws {
        if (cell == nil) != (frame == nil) { throw ValidationError("--cell and --frame go together") }
        if scheme != nil && cell != nil { throw ValidationError("use --scheme or --cell/--frame, not both") }
        if unweighted && (weight != nil || scheme != nil || cell != nil) {
            throw ValidationError("--unweighted leaves out the survey's scheme: it does not go with --weight, --scheme or --cell/--frame")
        }
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

    /// The declaration as plain values (canonical names: with --map, the export columns they rename are read).
    var declaration: DesignDeclaration {
        DesignDeclaration(weight: weight, strata: strata, clusters: clusterColumns, fpc: fpcColumns, cellColumns: cellColumns,
                          frame: frame, scheme: scheme, lonelyPSU: lonelyPsu)
    }
}

extension SurveyDesign.LonelyPSU: ExpressibleByArgument {}
extension IntervalMethod: ExpressibleByArgument {}
extension EstimationReport.Format: ExpressibleByArgument {}
