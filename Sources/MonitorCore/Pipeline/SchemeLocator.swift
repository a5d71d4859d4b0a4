import Foundation
import MonitorCore

/// Finds weighting schemes and their frames: bundled (data/schemes/) or given as files.
public enum SchemeLocator {
    /// A bundled scheme name or a file; returns the path and the folder its frame paths are relative to.
    public static func schemePath(_ name: String) throws -> (String, String) {
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.contains("/") {
            return (name, URL(fileURLWithPath: name).deletingLastPathComponent().path)
        }
        let path = try BundledData.path("schemes/\(name).yaml")
        guard FileManager.default.fileExists(atPath: path) else {
            throw UsageProblem("unknown scheme \"\(name)\": use ambtsdragers, ambtsdragers-populatie, medewerkers, organisaties or a .yaml file")
        }
        return (path, BundledData.directory() ?? ".")
    }

    /// A frame path from a scheme: absolute, relative to the scheme's folder, or a bundled frame.
    public static func framePath(_ file: String, schemeFolder: String) throws -> String {
        if file.hasPrefix("/") { return file }
        let local = schemeFolder + "/" + file
        if FileManager.default.fileExists(atPath: local) { return local }
        return try BundledData.path(file)
    }

    /// A scheme with its frames loaded (frame sources named as the scheme names them).
    public static func load(_ name: String) throws -> (WeightingScheme, [Frame]) {
        let (path, folder) = try schemePath(name)
        let scheme = try WeightingScheme.load(path: path)
        let frames = try scheme.frameFiles.map { file -> Frame in
            var frame = try Frame.load(path: framePath(file, schemeFolder: folder), reader: CSVReader())
            frame.source = file
            return frame
        }
        return (scheme, frames)
    }
}
