#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tensors

/// Writes a GGUF file: declare metadata and tensors, write the header, stream each tensor's
/// data in declaration order, then `finish`.
///
/// Everything goes to "<path>.partial", which `finish` forces to disk and renames over `path`
/// in one step, so a reader never sees a half-written model under the real name and an older
/// file there survives a failed or abandoned write. Any error thrown leaves the writer failed
/// and removes the partial file; `abandon` (or dropping the writer unfinished) removes it too.
///
/// Tensor data is not buffered beyond a small write buffer, so converting a large checkpoint
/// needs memory for one tensor (or one piece of one) at a time.
public final class GGUFWriter {
    /// Where the finished file goes.
    public let path: String
    /// Where the file is written until `finish`.
    public var partialPath: String { path + ".partial" }
    public let alignment: Int
    /// The version written in the header (2 or 3; the layout is the same).
    public let version: UInt32

    private struct Declared {
        let name: String
        let type: GGMLType
        let dimensions: [Int]
        let byteCount: Int
    }

    private enum State {
        case declaring
        /// Writing tensor `index`, of which `written` bytes have been written.
        case writingData(index: Int, written: Int)
        case finished
        case closed
    }

    private var entries: [(key: String, value: GGUFValue)] = []
    private var declared: [Declared] = []
    private var state = State.declaring
    private var sink: FileSink?
    /// A declaration made after `writeHeader`, reported by the next call that can throw.
    private var lateDeclaration: String?

    /// Prepares a writer; nothing touches the disk until `writeHeader`.
    /// - Parameters:
    ///   - alignment: a power of two; tensor data starts at multiples of it. A value other than
    ///     32 is recorded as `general.alignment` unless that key is added explicitly.
    ///   - version: 3 (current) or 2.
    public init(path: String, alignment: Int = 32, version: UInt32 = 3) {
        self.path = path
        self.alignment = alignment
        self.version = version
    }

    deinit {
        if case .finished = state { return }
        abandon()
    }

    /// Adds a metadata key (written in the order added). Only before `writeHeader`; a key added
    /// later makes the next `writeTensorData` or `finish` throw.
    public func add(key: String, value: GGUFValue) {
        guard case .declaring = state else {
            lateDeclaration = lateDeclaration ?? "metadata '\(escaped(key))' added after writeHeader"
            return
        }
        entries.append((key, value))
    }

    /// Declares a tensor; `byteCount` must equal what the type and dimensions imply, which
    /// `writeHeader` checks. Data is later written in the order of declaration. Only before
    /// `writeHeader`, like `add`.
    public func addTensor(name: String, type: GGMLType, dimensions: [Int], byteCount: Int) {
        guard case .declaring = state else {
            lateDeclaration = lateDeclaration ?? "tensor '\(escaped(name))' declared after writeHeader"
            return
        }
        declared.append(Declared(name: name, type: type, dimensions: dimensions, byteCount: byteCount))
    }

    /// Validates what was declared and writes the header, metadata and tensor directory.
    public func writeHeader() throws(ModelFileError) {
        guard case .declaring = state else { throw fail("writeHeader called twice or after the end") }
        do throws(ModelFileError) {
            let header = try encodeHeader()
            let sink = try FileSink(creating: partialPath)
            self.sink = sink
            try sink.write(header)
            state = .writingData(index: 0, written: 0)
        } catch {
            throw fail(error)
        }
    }

    /// Writes (part of) the data of the next tensor in declaration order. A tensor's data may
    /// come in several calls; once all its bytes are in, padding to the alignment follows.
    public func writeTensorData(name: String, bytes: UnsafeRawBufferPointer) throws(ModelFileError) {
        if let lateDeclaration { throw fail(lateDeclaration) }
        guard case .writingData(let index, let written) = state, let sink else {
            throw fail("writeTensorData for '\(escaped(name))' before writeHeader or after the end")
        }
        guard index < declared.count else {
            throw fail("writeTensorData for '\(escaped(name))' after all declared tensors were written")
        }
        let tensor = declared[index]
        guard tensor.name == name else {
            throw fail("expected data of tensor '\(escaped(tensor.name))' (declaration order), "
                       + "got '\(escaped(name))'")
        }
        guard bytes.count <= tensor.byteCount - written else {
            throw fail("tensor '\(escaped(name))' is \(tensor.byteCount) bytes but "
                       + "\(written + bytes.count) were given")
        }
        do throws(ModelFileError) {
            try sink.write(bytes)
            if written + bytes.count == tensor.byteCount {
                try sink.pad(alignment: alignment)
                state = .writingData(index: index + 1, written: 0)
            } else {
                state = .writingData(index: index, written: written + bytes.count)
            }
        } catch {
            throw fail(error)
        }
    }

    /// Checks that every tensor was written, forces the file to disk and renames it into place.
    public func finish() throws(ModelFileError) {
        if let lateDeclaration { throw fail(lateDeclaration) }
        guard case .writingData(let index, let written) = state, let sink else {
            throw fail("finish called before writeHeader or after the end")
        }
        guard index == declared.count else {
            let tensor = declared[index]
            throw fail("finish called with tensor '\(escaped(tensor.name))' incomplete "
                       + "(\(written) of \(tensor.byteCount) bytes written)")
        }
        do throws(ModelFileError) {
            try sink.finish()
            self.sink = nil
            guard rename(partialPath, path) == 0 else {
                throw ModelFileError.writeFailed(path: path, reason: "rename from \(partialPath): \(systemMessage(errno))")
            }
            syncDirectory(of: path)
            state = .finished
        } catch {
            throw fail(error)
        }
    }

    /// Stops writing and removes the partial file; a file already at `path` is left as it was.
    public func abandon() {
        if case .finished = state { return }
        if let sink {
            sink.discard()
            self.sink = nil
        }
        unlink(partialPath)
        state = .closed
    }

    // MARK: - Private

    /// Abandons and returns the error to throw.
    private func fail(_ error: ModelFileError) -> ModelFileError {
        abandon()
        return error
    }

    private func fail(_ reason: String) -> ModelFileError {
        fail(.writerMisuse(path: path, reason: reason))
    }

    /// The header bytes through the padding before the tensor data.
    private func encodeHeader() throws(ModelFileError) -> [UInt8] {
        guard version == 2 || version == 3 else {
            throw .writerMisuse(path: path, reason: "version \(version) cannot be written (2 or 3)")
        }
        guard alignment > 0, alignment & (alignment - 1) == 0, alignment <= Int(UInt32.max) else {
            throw .writerMisuse(path: path, reason: "alignment \(alignment) is not a power of two")
        }
        var metadata = entries
        var seen = Set<String>()
        for (key, value) in metadata {
            guard seen.insert(key).inserted else { throw .duplicateKey(path: path, key: key) }
            if let problem = encodingProblem(of: value) {
                throw .badMetadata(path: path, key: key, reason: problem)
            }
        }
        if let given = metadata.first(where: { $0.key == GGUFParser.alignmentKey })?.value {
            guard given.intValue == alignment else {
                throw .badMetadata(path: path, key: GGUFParser.alignmentKey,
                                   reason: "is \(given) but the writer aligns to \(alignment)")
            }
        } else if alignment != GGUFParser.defaultAlignment {
            metadata.append((GGUFParser.alignmentKey, .uint32(UInt32(alignment))))
        }

        var names = Set<String>()
        var offsets: [Int] = []
        var next = 0
        for tensor in declared {
            guard names.insert(tensor.name).inserted else { throw .duplicateTensor(path: path, name: tensor.name) }
            switch TensorShape.byteCount(type: tensor.type, dimensions: tensor.dimensions) {
            case .failure(let problem):
                throw .badTensorInfo(path: path, tensor: tensor.name, reason: problem.reason)
            case .success(let bytes) where bytes != tensor.byteCount:
                throw .badTensorInfo(path: path, tensor: tensor.name, reason:
                    "declared as \(tensor.byteCount) bytes but \(tensor.type.name) "
                    + "\(tensor.dimensions) takes \(bytes)")
            case .success:
                break
            }
            offsets.append(next)
            let (end, overflow) = next.addingReportingOverflow(tensor.byteCount + alignment - 1)
            guard !overflow else {
                throw .badTensorInfo(path: path, tensor: tensor.name, reason: "data does not fit in a file")
            }
            next = end / alignment * alignment
        }

        var encoder = GGUFEncoder()
        encoder.append(contentsOf: GGUFParser.magic)
        encoder.append(version)
        encoder.append(UInt64(declared.count))
        encoder.append(UInt64(metadata.count))
        for (key, value) in metadata {
            encoder.append(string: key)
            encoder.append(value.typeID)
            encoder.append(value: value)
        }
        for (tensor, offset) in zip(declared, offsets) {
            encoder.append(string: tensor.name)
            encoder.append(UInt32(tensor.dimensions.count))
            for size in tensor.dimensions { encoder.append(UInt64(size)) }
            encoder.append(tensor.type.rawValue)
            encoder.append(UInt64(offset))
        }
        encoder.pad(alignment: alignment)
        return encoder.bytes
    }
}

/// Forces a rename to disk by syncing the containing directory; failure here is not worth
/// reporting (the data itself is already synced).
private func syncDirectory(of path: String) {
    let directory: String
    if let slash = path.lastIndex(of: "/") {
        directory = slash == path.startIndex ? "/" : String(path[..<slash])
    } else {
        directory = "."
    }
    let fd = open(directory, O_RDONLY | O_CLOEXEC)
    if fd >= 0 {
        fsync(fd)
        close(fd)
    }
}
