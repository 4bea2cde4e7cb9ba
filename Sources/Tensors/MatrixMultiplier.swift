import CKernels
import COpenBLAS

/// Multiplies weight matrices by activations on a `ComputePool`, with scratch memory allocated
/// once and reused, so the decode loop allocates nothing.
///
/// Two paths:
/// - **Few vectors** (decode, beams): the quantised weights are read directly by the C kernels,
///   each weight row once for all vectors. Activations are first "prepared" per weight type
///   (quantised to Q8 like llama.cpp, or kept f32 when `precise`).
/// - **Many vectors** (prompt prefill): each thread dequantises a tile of weight rows into a
///   small f32 buffer that stays in cache and multiplies it with OpenBLAS `sgemm` on one thread;
///   the pool provides the parallelism, so OpenBLAS's own threads are kept at one.
public final class MatrixMultiplier: @unchecked Sendable {
    public let pool: ComputePool
    /// Use exact f32 activations instead of llama.cpp's Q8 activations on the decode path.
    public let precise: Bool

    /// Vectors at or below this count take the direct quantised path.
    public static let directPathMaxVectors = 8
    /// Weight rows dequantised at a time by each thread on the sgemm path.
    static let tileRows = 64

    private var preparedActivations: UnsafeMutableRawPointer
    private var preparedCapacity: Int
    private var tiles: [UnsafeMutablePointer<Float>]
    private var tileCapacity: Int

    public init(pool: ComputePool, precise: Bool) {
        self.pool = pool
        self.precise = precise
        preparedCapacity = 0
        preparedActivations = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
        tileCapacity = 0
        tiles = (0..<pool.threadCount).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: 1) }
        openblas_set_num_threads(1)
    }

    deinit {
        preparedActivations.deallocate()
        for tile in tiles { tile.deallocate() }
    }

    /// `output[v * outputStride + r] = (W · input_v)[r]` for `vectors` inputs that follow each
    /// other `inputStride` floats apart.
    public func multiply(_ weight: WeightMatrix, input: UnsafePointer<Float>, inputStride: Int,
                         vectors: Int, output: UnsafeMutablePointer<Float>, outputStride: Int) {
        multiply([weight], input: input, inputStride: inputStride, vectors: vectors,
                 outputs: [output], outputStride: [outputStride])
    }

    /// Several matrices that read the same input (Q, K and V; gate and up) in one parallel job,
    /// so the threads meet once instead of once per matrix.
    public func multiply(_ weights: [WeightMatrix], input: UnsafePointer<Float>, inputStride: Int,
                         vectors: Int, outputs: [UnsafeMutablePointer<Float>],
                         outputStride: [Int]) {
        precondition(weights.count == outputs.count && outputs.count == outputStride.count)
        if vectors <= Self.directPathMaxVectors {
            multiplyDirect(weights, input: input, inputStride: inputStride, vectors: vectors,
                           outputs: outputs, outputStride: outputStride)
        } else {
            for (index, weight) in weights.enumerated() {
                multiplyBlas(weight, input: input, inputStride: inputStride, vectors: vectors,
                             output: outputs[index], outputStride: outputStride[index])
            }
        }
    }

    // MARK: - Direct quantised path

    private func multiplyDirect(_ weights: [WeightMatrix], input: UnsafePointer<Float>,
                                inputStride: Int, vectors: Int,
                                outputs: [UnsafeMutablePointer<Float>], outputStride: [Int]) {
        let preciseFlag: Int32 = precise ? 1 : 0
        // Prepare the activations once per distinct weight type.
        var offsets: [Int] = []
        var strides: [Int] = []
        var total = 0
        var preparedTypes: [(type: Int32, columns: Int, offset: Int, stride: Int)] = []
        for weight in weights {
            if let found = preparedTypes.first(where: { $0.type == weight.type.ckType && $0.columns == weight.columns }) {
                offsets.append(found.offset); strides.append(found.stride); continue
            }
            let bytes = Int(ck_act_bytes(weight.type.ckType, Int64(weight.columns), preciseFlag))
            let stride = (bytes + 63) & ~63
            preparedTypes.append((weight.type.ckType, weight.columns, total, stride))
            offsets.append(total); strides.append(stride)
            total += stride * vectors
        }
        ensurePreparedCapacity(total)
        for entry in preparedTypes {
            for v in 0..<vectors {
                ck_act_prepare(entry.type, input + v * inputStride,
                               preparedActivations + entry.offset + v * entry.stride,
                               Int64(entry.columns), preciseFlag)
            }
        }
        // Split the concatenated rows of all matrices evenly between the threads.
        let totalRows = weights.reduce(0) { $0 + $1.rows }
        let prepared = UnsafeRawPointer(preparedActivations)
        pool.run { part, parts in
            let mine = ComputePool.split(totalRows, parts: parts, part: part, granularity: 4)
            var base = 0
            for (index, weight) in weights.enumerated() {
                let lower = max(mine.lowerBound, base) - base
                let upper = min(mine.upperBound, base + weight.rows) - base
                if lower < upper {
                    ck_matmul_rows(weight.type.ckType, weight.data, Int64(weight.columns),
                                   prepared + offsets[index], Int64(strides[index]), Int32(vectors),
                                   outputs[index], Int64(outputStride[index]),
                                   Int64(lower), Int64(upper), preciseFlag)
                }
                base += weight.rows
            }
        }
    }

    private func ensurePreparedCapacity(_ bytes: Int) {
        if bytes <= preparedCapacity { return }
        preparedActivations.deallocate()
        preparedCapacity = max(bytes, preparedCapacity * 2)
        preparedActivations = UnsafeMutableRawPointer.allocate(byteCount: preparedCapacity, alignment: 64)
    }

    // MARK: - Dequantise-and-sgemm path

    private func multiplyBlas(_ weight: WeightMatrix, input: UnsafePointer<Float>,
                              inputStride: Int, vectors: Int,
                              output: UnsafeMutablePointer<Float>, outputStride: Int) {
        let tileRows = Self.tileRows
        ensureTileCapacity(tileRows * weight.columns)
        let tiles = self.tiles
        let isF32 = weight.type == .f32
        pool.run { part, parts in
            let mine = ComputePool.split(weight.rows, parts: parts, part: part, granularity: tileRows)
            var row = mine.lowerBound
            while row < mine.upperBound {
                let count = min(tileRows, mine.upperBound - row)
                let tile: UnsafePointer<Float>
                if isF32 {
                    tile = weight.data.assumingMemoryBound(to: Float.self) + row * weight.columns
                } else {
                    weight.dequantizeRows(row..<(row + count), into: tiles[part])
                    tile = UnsafePointer(tiles[part])
                }
                // output[v, row..<row+count] = input[v, :] · tile^T
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                            blasint(vectors), blasint(count), blasint(weight.columns),
                            1.0, input, blasint(inputStride), tile, blasint(weight.columns),
                            0.0, output + row, blasint(outputStride))
                row += count
            }
        }
    }

    private func ensureTileCapacity(_ floats: Int) {
        if floats <= tileCapacity { return }
        for tile in tiles { tile.deallocate() }
        tileCapacity = floats
        tiles = (0..<pool.threadCount).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: floats) }
    }
}
