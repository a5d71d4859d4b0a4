import Foundation
import Yams

/// Decodes YAML data files (codebooks, mapping files, table specifications, weighting schemes) strictly: the
/// document is composed into Yams nodes, which keep their line numbers, and decoded by a `Decoder` that notes
/// which keys each mapping's type asks for. A key no type asks for (`missings:` for `missing:`) is an error with
/// its file and line and the nearest known key; a value of the wrong kind names its key, file and line.
///
/// Synthesized `Decodable` conformances ask for every key they know (`decodeIfPresent` for optional ones), so the
/// keys asked for are the type's coding keys; a dictionary asks for all of its keys.
enum StrictYAML {
    static func decode<T: Decodable>(_ type: T.Type, text: String, file: String, what: String, kind: DataError.Kind) throws -> T {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw DataError(kind, SourcePosition(file: file), "not a valid \(what): the file is empty")
            }
            root = node
        } catch let error as DataError {
            throw error
        } catch let error as YamlError {
            throw DataError(kind, SourcePosition(file: file, line: yamlErrorLine(error)), "not a valid \(what): \(error)")
        } catch {
            throw DataError(kind, SourcePosition(file: file), "not a valid \(what): \(error)")
        }
        let state = State()
        let value: T
        do {
            value = try T(from: NodeDecoder(node: root, codingPath: [], state: state))
        } catch let error as DecodingError {
            throw describe(error, root: root, file: file, what: what, kind: kind)
        }
        for record in state.records where !record.all {
            for (key, _) in record.mapping {
                guard let name = key.scalar?.string, !record.asked.contains(name) else { continue }
                let known = record.asked.sorted()
                let hint = closestName(to: name, in: known).map { " (did you mean \"\($0)\"?)" }
                    ?? " (known keys: \(known.joined(separator: ", ")))"
                throw DataError(kind, SourcePosition(file: file, line: key.mark?.line),
                                "unknown key \"\(name)\"\(where_(record.path))\(hint)")
            }
        }
        return value
    }

    /// " in variables[3]" for a path, "" at the top.
    static func where_(_ path: [CodingKey]) -> String {
        path.isEmpty ? " at the top level" : " in \(render(path))"
    }

    static func render(_ path: [CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
        return text
    }

    static func yamlErrorLine(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    /// The node at a coding path (for the line of an error thrown by a type's own decoding).
    static func node(at path: [CodingKey], in root: Node) -> Node? {
        var node = root
        for key in path {
            switch node {
            case .mapping(let m):
                guard let child = m.first(where: { $0.key.scalar?.string == key.stringValue })?.value else { return node }
                node = child
            case .sequence(let s):
                guard let i = key.intValue, i < s.count else { return node }
                node = s[s.index(s.startIndex, offsetBy: i)]
            default:
                return node
            }
        }
        return node
    }

    static func describe(_ error: DecodingError, root: Node, file: String, what: String, kind: DataError.Kind) -> DataError {
        func at(_ path: [CodingKey]) -> SourcePosition {
            SourcePosition(file: file, line: node(at: path, in: root)?.mark?.line)
        }
        switch error {
        case .keyNotFound(let key, let context):
            return DataError(kind, at(context.codingPath), "\(render(context.codingPath).isEmpty ? "the \(what)" : render(context.codingPath)) needs the key \"\(key.stringValue)\"")
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = render(context.codingPath)
            return DataError(kind, at(context.codingPath), "\(path.isEmpty ? "" : "\(path): ")\(context.debugDescription)")
        @unknown default:
            return DataError(kind, SourcePosition(file: file), "not a valid \(what): \(error)")
        }
    }

    /// A mapping decoded as a keyed container, and the keys its type asked for.
    final class Record {
        let mapping: Node.Mapping
        let path: [CodingKey]
        var asked: Set<String> = []
        var all = false
        init(mapping: Node.Mapping, path: [CodingKey]) {
            self.mapping = mapping
            self.path = path
        }
    }

    final class State {
        var records: [Record] = []
    }

    static func kind(of node: Node) -> String {
        switch node {
        case .mapping: return "a mapping (key: value lines)"
        case .sequence: return "a list"
        case .scalar(let s): return s.string.isEmpty ? "an empty value" : "the value \"\(s.string)\""
        case .alias: return "an alias"
        }
    }

    static func mismatch(_ expected: String, _ node: Node, _ path: [CodingKey]) -> DecodingError {
        .typeMismatch(Any.self, .init(codingPath: path, debugDescription: "expected \(expected), found \(kind(of: node))"))
    }

    static func isNull(_ node: Node) -> Bool { node.null != nil }
}

private struct IndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ index: Int) { stringValue = "\(index)"; intValue = index }
    init?(stringValue: String) { self.stringValue = stringValue; intValue = Int(stringValue) }
    init?(intValue: Int) { self.init(intValue) }
}

private struct NodeDecoder: Decoder {
    let node: Node
    let codingPath: [CodingKey]
    let state: StrictYAML.State
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let mapping) = node else { throw StrictYAML.mismatch("a mapping (key: value lines)", node, codingPath) }
        let record = StrictYAML.Record(mapping: mapping, path: codingPath)
        state.records.append(record)
        return KeyedDecodingContainer(KeyedNode<Key>(mapping: mapping, codingPath: codingPath, state: state, record: record))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .sequence(let sequence) = node else { throw StrictYAML.mismatch("a list", node, codingPath) }
        return UnkeyedNode(items: Array(sequence), codingPath: codingPath, state: state)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { SingleNode(node: node, codingPath: codingPath, state: state) }
}

/// Scalars: text, numbers and booleans from a scalar node; anything else through its own `init(from:)`.
private func decodeValue<T: Decodable>(_ type: T.Type, _ node: Node, _ path: [CodingKey], _ state: StrictYAML.State) throws -> T {
    func scalar() throws -> Node.Scalar {
        guard case .scalar(let s) = node else { throw StrictYAML.mismatch(expectedName(T.self), node, path) }
        return s
    }
    if T.self == String.self {
        let s = try scalar()
        if StrictYAML.isNull(node) && s.string.isEmpty { throw StrictYAML.mismatch("a text value", node, path) }
        return s.string as! T
    }
    if T.self == Double.self {
        guard let x = Double.construct(from: try scalar()) else { throw StrictYAML.mismatch("a number", node, path) }
        return x as! T
    }
    if T.self == Int.self {
        guard let x = Int.construct(from: try scalar()) else { throw StrictYAML.mismatch("a whole number", node, path) }
        return x as! T
    }
    if T.self == Bool.self {
        guard let x = Bool.construct(from: try scalar()) else { throw StrictYAML.mismatch("true or false", node, path) }
        return x as! T
    }
    return try T(from: NodeDecoder(node: node, codingPath: path, state: state))
}

private func expectedName(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: return "a text value"
    case is Double.Type: return "a number"
    case is Int.Type: return "a whole number"
    case is Bool.Type: return "true or false"
    default: return "a value"
    }
}

private struct KeyedNode<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let mapping: Node.Mapping
    let codingPath: [CodingKey]
    let state: StrictYAML.State
    let record: StrictYAML.Record

    var allKeys: [Key] {
        record.all = true
        return mapping.compactMap { $0.key.scalar.flatMap { Key(stringValue: $0.string) } }
    }

    func child(_ key: Key) -> Node? {
        record.asked.insert(key.stringValue)
        return mapping.first { $0.key.scalar?.string == key.stringValue }?.value
    }

    func contains(_ key: Key) -> Bool { child(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { child(key).map(StrictYAML.isNull) ?? true }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let node = child(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing key \(key.stringValue)"))
        }
        return try decodeValue(type, node, codingPath + [key], state)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try NodeDecoder(node: child(key) ?? Node(""), codingPath: codingPath + [key], state: state).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try NodeDecoder(node: child(key) ?? Node(""), codingPath: codingPath + [key], state: state).unkeyedContainer()
    }

    func superDecoder() throws -> Decoder { NodeDecoder(node: .mapping(mapping), codingPath: codingPath, state: state) }

    func superDecoder(forKey key: Key) throws -> Decoder {
        NodeDecoder(node: child(key) ?? Node(""), codingPath: codingPath + [key], state: state)
    }
}

private struct UnkeyedNode: UnkeyedDecodingContainer {
    let items: [Node]
    let codingPath: [CodingKey]
    let state: StrictYAML.State
    var currentIndex = 0
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    init(items: [Node], codingPath: [CodingKey], state: StrictYAML.State) {
        self.items = items
        self.codingPath = codingPath
        self.state = state
    }

    mutating func next() throws -> (Node, [CodingKey]) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "the list has too few items"))
        }
        defer { currentIndex += 1 }
        return (items[currentIndex], codingPath + [IndexKey(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        if !isAtEnd && StrictYAML.isNull(items[currentIndex]) {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (node, path) = try next()
        return try decodeValue(type, node, path, state)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (node, path) = try next()
        return try NodeDecoder(node: node, codingPath: path, state: state).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        let (node, path) = try next()
        return try NodeDecoder(node: node, codingPath: path, state: state).unkeyedContainer()
    }

    mutating func superDecoder() throws -> Decoder {
        let (node, path) = try next()
        return NodeDecoder(node: node, codingPath: path, state: state)
    }
}

private struct SingleNode: SingleValueDecodingContainer {
    let node: Node
    let codingPath: [CodingKey]
    let state: StrictYAML.State

    func decodeNil() -> Bool { StrictYAML.isNull(node) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type, node, codingPath, state) }
}
