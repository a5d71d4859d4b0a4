import Foundation

/// Escaping, coordinates and text measuring for the XML the report writers emit (XHTML, SVG, SpreadsheetML).
///
/// Everything here is deterministic: the same text gives the same bytes on every machine and locale.
public enum Markup {
    /// Text for an XML element or attribute: `& < > " '` escaped, characters XML 1.0 does not allow dropped
    /// (control characters other than tab, line feed and carriage return; lone surrogates cannot occur in a String).
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A coordinate with at most one decimal ("12.5", "40"), never "-0".
    static func number(_ x: Double) -> String {
        let text = NumberFormat.fixed(x, 1)
        let trimmed = text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        return trimmed == "-0" ? "0" : trimmed
    }

    /// An id or class fragment from any text: letters, digits, `-` and `.`; everything else becomes `-`.
    static func identifier(_ text: String) -> String {
        String(text.unicodeScalars.map { s -> Character in
            (s.isASCII && (CharacterSet.alphanumerics.contains(s) || s == "-" || s == ".")) ? Character(s) : "-"
        })
    }

    /// An estimate of the width of `text` in a sans-serif font (DejaVu Sans, Arial, Helvetica) of `fontSize`
    /// pixels: generous, so labels laid out with it do not collide in any of them.
    static func textWidth(_ text: String, fontSize: Double) -> Double {
        var em = 0.0
        for c in text {
            switch c {
            case "i", "l", "j", "'", "|", ".", ",", ":", ";", "!", " ": em += 0.32
            case "f", "t", "r", "(", ")", "-", "/", "*": em += 0.42
            case "m", "w", "M", "W", "%": em += 0.95
            case "▲", "▼", "↑", "↓", "–", "■": em += 0.8
            default: em += c.isUppercase ? 0.72 : (c.isNumber ? 0.64 : 0.6)
            }
        }
        return em * fontSize
    }

    /// `text` broken at spaces (and after `/`) into lines no wider than `width`; a word longer than a line
    /// stays whole. At most `maxLines` lines: the last one ends in "…" when text was left out.
    static func wrap(_ text: String, width: Double, fontSize: Double, maxLines: Int = 3) -> [String] {
        var words: [String] = []
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var part = ""
            for c in word {
                part.append(c)
                if c == "/" && part.count > 1 { words.append(part); part = "" }
            }
            if !part.isEmpty { words.append(part) }
        }
        var lines: [String] = []
        var current = ""
        for word in words {
            let glue = current.isEmpty || current.hasSuffix("/") ? "" : " "
            let candidate = current + glue + word
            if current.isEmpty || textWidth(candidate, fontSize: fontSize) <= width {
                current = candidate
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        if lines.count > maxLines {
            lines = Array(lines.prefix(maxLines))
            var last = lines[maxLines - 1]
            while !last.isEmpty && textWidth(last + "…", fontSize: fontSize) > width { last.removeLast() }
            lines[maxLines - 1] = last.trimmingCharacters(in: .whitespaces) + "…"
        }
        return lines.isEmpty ? [""] : lines
    }
}
