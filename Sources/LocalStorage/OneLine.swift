/// Messages from SQLite, decoders or the system may span lines; the user sees one.
public func singleLine(_ text: String) -> String {
    text.split(whereSeparator: { $0.isNewline }).joined(separator: " ")
}
