import Glibc

/// Checks on raw input bytes, before Swift's String would silently repair them.
enum RawArguments {
    /// The first command-line argument that is not valid UTF-8: its index, offending byte and
    /// the byte's offset in the argument.
    static func firstInvalidUTF8() -> (index: Int, byte: UInt8, offset: Int)? {
        for index in 1..<Int(CommandLine.argc) {
            guard let argument = CommandLine.unsafeArgv[index] else { continue }
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(argument).assumingMemoryBound(to: UInt8.self),
                                            count: strlen(argument))
            if let offset = TextFile.firstInvalidUTF8Offset(bytes) { return (index, bytes[offset], offset) }
        }
        return nil
    }
}

/// Reads text files, insisting on UTF-8.
enum TextFile {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The file's contents (standard input for "-"), or a one-line failure naming the file.
    static func readUTF8(path: String) throws -> String {
        let descriptor = path == "-" ? 0 : open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw Failure(description: "\(path): \(String(cString: strerror(errno)))")
        }
        defer { if descriptor != 0 { close(descriptor) } }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "\(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
            if bytes.count > 64 << 20 { throw Failure(description: "\(path): larger than 64 MiB, too long for a prompt") }
        }
        if let offset = bytes.withUnsafeBufferPointer({ firstInvalidUTF8Offset($0) }) {
            throw Failure(description: "\(path): not valid UTF-8 text (byte 0x\(String(bytes[offset], radix: 16, uppercase: true)) at offset \(offset))")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Offset of the first byte that does not belong to a valid UTF-8 sequence, if any.
    static func firstInvalidUTF8Offset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case let .scalarValue(scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
