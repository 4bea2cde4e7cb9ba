/// A short phrase saying what data that is not a JPEG or PNG looks like ("a GIF image",
/// "text", "binary data"), for the message that refuses it. Only the first bytes are looked at.
enum ContentGuess {
    static func describe<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        let head = Array(bytes.prefix(512))
        for (signature, name) in signatures where head.starts(with: signature) {
            return name
        }
        // ISO base media files (HEIC, AVIF, MP4) carry "ftyp" at offset 4.
        if head.count >= 12, Array(head[4..<8]) == Array("ftyp".utf8) {
            let brand = String(decoding: head[8..<12], as: UTF8.self)
            switch brand {
            case "heic", "heix", "mif1", "msf1", "heim", "heis": return "a HEIC image"
            case "avif", "avis": return "an AVIF image"
            default: return "a video or ISO media file"
            }
        }
        if head.count >= 12, head.starts(with: Array("RIFF".utf8)),
           Array(head[8..<12]) == Array("WEBP".utf8) {
            return "a WebP image"
        }
        if looksLikeText(head) {
            let trimmed = head.drop(while: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D
                                               || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF })
            if trimmed.starts(with: Array("<svg".utf8)) || containsSVG(head) {
                return "an SVG image (text), which is not supported"
            }
            return "text"
        }
        return "binary data"
    }

    /// Well-known signatures of formats people may mistake for supported ones.
    private static let signatures: [([UInt8], String)] = [
        (Array("GIF87a".utf8), "a GIF image"),
        (Array("GIF89a".utf8), "a GIF image"),
        ([0x42, 0x4D], "a BMP image"),
        ([0x49, 0x49, 0x2A, 0x00], "a TIFF image"),
        ([0x4D, 0x4D, 0x00, 0x2A], "a TIFF image"),
        ([0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20], "a JPEG 2000 image"),
        ([0xFF, 0x4F, 0xFF, 0x51], "a JPEG 2000 codestream"),
        ([0xFF, 0x0A], "a JPEG XL image"),
        (Array("%PDF".utf8), "a PDF document"),
        ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive"),
        ([0x1F, 0x8B], "gzip-compressed data"),
        (Array("GGUF".utf8), "a GGUF model file"),
        ([0x7F, 0x45, 0x4C, 0x46], "an executable (ELF)"),
        ([0xFF, 0xD8], "a damaged JPEG (no marker after the start of image)"),
    ]

    /// True when the bytes are valid UTF-8 without control characters other than whitespace
    /// (a multi-byte character cut off at the end of the sample is allowed).
    private static func looksLikeText(_ head: [UInt8]) -> Bool {
        if head.isEmpty { return false }
        var index = 0
        while index < head.count {
            let byte = head[index]
            if byte < 0x80 {
                if byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D, byte != 0x0C { return false }
                if byte == 0x7F { return false }
                index += 1
                continue
            }
            let length: Int
            switch byte {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return false
            }
            var next = index + 1
            while next < index + length {
                if next >= head.count { return true }
                if head[next] & 0xC0 != 0x80 { return false }
                next += 1
            }
            index += length
        }
        return true
    }

    private static func containsSVG(_ head: [UInt8]) -> Bool {
        let text = String(decoding: head, as: UTF8.self)
        return text.contains("<svg")
    }
}
