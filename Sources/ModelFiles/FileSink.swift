#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file being written through a buffer (a class, so the buffer is never copied), so headers built from many small fields and large
/// tensors streamed in pieces both turn into few large `write` calls.
final class FileSink {
    let path: String
    private(set) var descriptor: Int32
    private var buffer: [UInt8] = []
    /// Bytes handed to the sink so far (written or buffered).
    private(set) var position = 0
    private static let bufferLimit = 1 << 20

    /// Creates (or truncates) the file at `path`.
    init(creating path: String) throws(ModelFileError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if descriptor < 0 { throw .writeFailed(path: path, reason: "cannot create: \(systemMessage(errno))") }
        buffer.reserveCapacity(Self.bufferLimit)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(ModelFileError) {
        position += bytes.count
        if buffer.count + bytes.count <= Self.bufferLimit {
            buffer.append(contentsOf: bytes)
            return
        }
        try flush()
        if bytes.count <= Self.bufferLimit {
            buffer.append(contentsOf: bytes)
        } else {
            try writeFully(bytes)
        }
    }

    func write(_ bytes: [UInt8]) throws(ModelFileError) {
        var failure: ModelFileError?
        bytes.withUnsafeBytes { raw in
            do throws(ModelFileError) { try write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Zero bytes up to the next multiple of `alignment` of the position.
    func pad(alignment: Int) throws(ModelFileError) {
        let used = position % alignment
        if used != 0 { try write([UInt8](repeating: 0, count: alignment - used)) }
    }

    func flush() throws(ModelFileError) {
        guard !buffer.isEmpty else { return }
        var failure: ModelFileError?
        buffer.withUnsafeBytes { raw in
            do throws(ModelFileError) { try writeFully(raw) } catch { failure = error }
        }
        buffer.removeAll(keepingCapacity: true)
        if let failure { throw failure }
    }

    private func writeFully(_ bytes: UnsafeRawBufferPointer) throws(ModelFileError) {
        var done = 0
        while done < bytes.count {
            let result = systemWrite(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if result < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(path: path, reason: systemMessage(errno))
            }
            done += result
        }
    }

    /// Flushes, forces the data to the disk and closes the file.
    func finish() throws(ModelFileError) {
        try flush()
        if fsync(descriptor) != 0 { throw .writeFailed(path: path, reason: "fsync: \(systemMessage(errno))") }
        let result = close(descriptor)
        descriptor = -1
        if result != 0 { throw .writeFailed(path: path, reason: "close: \(systemMessage(errno))") }
    }

    deinit { discard() }

    /// Closes without flushing (the file is about to be removed).
    func discard() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        buffer.removeAll()
    }
}

/// The C library's `write`, named apart from `FileSink.write`.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}
