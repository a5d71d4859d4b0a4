import ArgumentParser

/// Checks that several commands' options share, so each option means the same in every command.
enum OptionChecks {
    /// `--alpha`: a significance level strictly between 0 and 1 (not 0, 1, 5 for 5 %, inf or nan).
    static func alpha(_ alpha: Double) throws {
        if !(alpha.isFinite && alpha > 0 && alpha < 1) {
            throw ValidationError("--alpha must be a number between 0 and 1 (exclusive), e.g. 0.05 (got \(alpha))")
        }
    }

    /// `--level`: a confidence level strictly between 0 and 1.
    static func level(_ level: Double) throws {
        if !(level.isFinite && level > 0 && level < 1) {
            throw ValidationError("--level must be a number between 0 and 1 (exclusive), e.g. 0.95 (got \(level))")
        }
    }
}
