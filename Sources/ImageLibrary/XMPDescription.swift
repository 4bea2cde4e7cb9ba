/// The `dc:description` of an XMP packet: the text of the first `<rdf:li ...>text</rdf:li>`
/// inside `<dc:description>` (normally the x-default language alternative), XML entities
/// decoded. A plain-text description (`<dc:description>text</dc:description>`) counts too.
enum XMPDescription {
    static func find(in packet: ArraySlice<UInt8>) -> String? {
        let xml = String(decoding: packet, as: UTF8.self)
        guard let open = xml.firstRange(of: "<dc:description") else { return nil }
        guard let openEnd = xml[open.upperBound...].firstIndex(of: ">") else { return nil }
        let bodyStart = xml.index(after: openEnd)
        if xml[..<bodyStart].hasSuffix("/>") { return nil }
        guard let close = xml[bodyStart...].firstRange(of: "</dc:description>") else { return nil }
        let body = xml[bodyStart..<close.lowerBound]
        if let item = body.firstRange(of: "<rdf:li") {
            guard let itemOpenEnd = body[item.upperBound...].firstIndex(of: ">") else { return nil }
            let textStart = body.index(after: itemOpenEnd)
            guard let itemClose = body[textStart...].firstRange(of: "</rdf:li>") else { return nil }
            return CaptionText.clean(decodeEntities(body[textStart..<itemClose.lowerBound]))
        }
        if body.contains("<") { return nil }
        return CaptionText.clean(decodeEntities(body))
    }

    /// `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` and numeric references; unknown ones are kept.
    static func decodeEntities(_ text: Substring) -> String {
        var result = ""
        var rest = text
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            guard let semicolon = rest[amp...].firstIndex(of: ";"),
                  rest.distance(from: amp, to: semicolon) <= 10 else {
                result += "&"
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let name = rest[rest.index(after: amp)..<semicolon]
            if let decoded = entity(name) {
                result += decoded
            } else {
                result += rest[amp...semicolon]
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return result + rest
    }

    private static func entity(_ name: Substring) -> String? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            guard name.hasPrefix("#") else { return nil }
            let digits = name.dropFirst()
            let value = digits.hasPrefix("x") || digits.hasPrefix("X")
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
    }
}
