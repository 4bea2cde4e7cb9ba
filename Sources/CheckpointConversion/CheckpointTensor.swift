import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One tensor of a checkpoint: a validated view into a mapped shard.
///
/// Creating one checks that every element the shape and strides can reach lies inside the
/// bytes its storage owns, so reading never leaves the file.
public struct CheckpointTensor {
    public let name: String
    public let dtype: StoredDType
    /// PyTorch order, outermost first.
    public let shape: [Int]
    /// Element strides, outermost first.
    public let strides: [Int]
    public let elementCount: Int
    /// The shard the data is in.
    let shard: ShardFile
    /// Offset in the file of element 0 of the view.
    let byteOffset: Int
    /// The bytes of the storage, for the CRC check of `.bin` shards and for releasing pages.
    let storage: ShardFile.StorageRange

    public var path: String { shard.path }

    /// Validates a view of `storage` (which must lie inside the shard).
    init(name: String, dtype: StoredDType, shape: [Int], strides: [Int], elementOffset: Int,
         shard: ShardFile, storage: ShardFile.StorageRange) throws(CheckpointError)
    {
        var count = 1
        var lastElement = elementOffset
        for (size, stride) in zip(shape, strides) {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else {
                throw .corrupt(path: shard.path, offset: nil, reason: "tensor '\(oneLine(name))' shape \(shape) is too large")
            }
            count = product
            if size > 0 {
                let (reach, reachOverflow) = (size - 1).multipliedReportingOverflow(by: stride)
                let (sum, sumOverflow) = lastElement.addingReportingOverflow(reach)
                guard !reachOverflow, !sumOverflow else {
                    throw .corrupt(path: shard.path, offset: nil, reason: "tensor '\(oneLine(name))' strides \(strides) are too large")
                }
                lastElement = sum
            }
        }
        if count > 0 {
            let (end, overflow) = (lastElement + 1).multipliedReportingOverflow(by: dtype.size)
            guard !overflow, end <= storage.size else {
                throw .corrupt(path: shard.path, offset: storage.offset,
                               reason: "tensor '\(oneLine(name))' \(shape) with strides \(strides) at element \(elementOffset) "
                                   + "reaches past the \(storage.size) bytes of its storage")
            }
        }
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.strides = strides
        self.elementCount = count
        self.shard = shard
        self.byteOffset = storage.offset + elementOffset * dtype.size
        self.storage = storage
    }

    /// Whether the elements lie in row-major order with no gaps (dimensions of size 1 may
    /// carry any stride).
    public var isContiguous: Bool {
        var expected = 1
        for (size, stride) in zip(shape, strides).reversed() where size != 1 {
            if stride != expected { return false }
            expected *= size
        }
        return true
    }

    /// Length of the innermost dimension (1 for a scalar), the unit `readRows` counts in.
    public var rowLength: Int { shape.last ?? 1 }
    /// Elements divided into rows of `rowLength`.
    public var rowCount: Int { rowLength == 0 ? 0 : elementCount / rowLength }

    /// Converts rows `rows` (of `rowLength` elements, in row-major order of the shape) to f32.
    ///
    /// The first read of a `.bin` storage checks its CRC-32 against the ZIP directory.
    /// - Throws: `.unknownDType` for integer and bool tensors (never model weights), or
    ///   `.corrupt` when the CRC does not match.
    public func readRows(_ rows: Range<Int>, into destination: UnsafeMutablePointer<Float>) throws(CheckpointError) {
        guard dtype.isFloatingPoint else { throw .unknownDType(path: path, tensor: name, dtype: dtype.rawValue) }
        try shard.verify(storage)
        let first = rows.lowerBound * rowLength
        let count = rows.count * rowLength
        guard count > 0 else { return }
        let base = shard.file.base! + byteOffset
        if isContiguous {
            convert(base + first * dtype.size, count: count, into: destination)
            shard.release(offset: byteOffset + first * dtype.size, size: count * dtype.size)
            return
        }
        // A strided view: walk the elements in row-major order of the shape.
        var index = [Int](repeating: 0, count: shape.count)
        var remainder = first
        for dimension in shape.indices.reversed() {
            index[dimension] = remainder % shape[dimension]
            remainder /= shape[dimension]
        }
        for element in 0..<count {
            var offset = 0
            for dimension in shape.indices { offset += index[dimension] * strides[dimension] }
            convert(base + offset * dtype.size, count: 1, into: destination + element)
            var dimension = shape.count - 1
            while dimension >= 0 {
                index[dimension] += 1
                if index[dimension] < shape[dimension] { break }
                index[dimension] = 0
                dimension -= 1
            }
        }
    }

    /// The whole tensor as f32.
    public func readAll() throws(CheckpointError) -> [Float] {
        var failure: CheckpointError?
        let values = [Float](unsafeUninitializedCapacity: elementCount) { buffer, initialized in
            do throws(CheckpointError) {
                try readRows(0..<rowCount, into: buffer.baseAddress!)
                initialized = elementCount
            } catch {
                failure = error
                buffer.initialize(repeating: 0)
                initialized = elementCount
            }
        }
        if let failure { throw failure }
        return values
    }

    /// Tells the kernel the pages of this tensor's storage are no longer needed, so converting
    /// a large checkpoint does not keep every shard resident.
    public func releasePages() { shard.release(storage) }

    /// `count` little-endian elements at `source` as f32 (the mapping has no alignment promise).
    private func convert(_ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<Float>) {
        switch dtype {
        case .float32:
            memcpy(destination, source, count * 4)
        case .float16:
            ck_dequantize(Int32(CK_TYPE_F16), source, destination, Int64(count))
        case .bfloat16:
            ck_dequantize(Int32(CK_TYPE_BF16), source, destination, Int64(count))
        case .float64:
            for index in 0..<count {
                let bits = source.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
                destination[index] = Float(Double(bitPattern: UInt64(littleEndian: bits)))
            }
        default:
            preconditionFailure("readRows checks for a floating-point dtype")
        }
    }
}
