import ImageIO
import ModelFiles
import Synchronization
import Tensors
import VisionModels

/// XComposer's vision tower over library files: decodes a picture, encodes it into its 66
/// vectors and keeps them by path, so a candidate shown in several selection prompts (and every
/// picture already chosen, which each later prompt shows again) is encoded once per run.
///
/// The tower has a compute pool of its own, so an encoding never shares a pool with the
/// decoder; encodings are serialised under the lock, because a pool runs one job at a time.
final class PictureEncoder: Sendable {
    private let vision: Mutex<XComposerVisionModel>
    private let cache = Mutex<[String: ImageEmbedding]>([:])

    /// - Throws: `VisionLoadError` (one line naming the file) when the tower cannot be read.
    init(file: GGUFFile, threads: Int) throws(VisionLoadError) {
        vision = Mutex(try XComposerVisionModel(file: file, pool: ComputePool(threadCount: threads)))
    }

    /// The vectors of the picture at `path`, encoded on first use.
    /// - Throws: `PipelineFailure` naming the file when it cannot be decoded.
    func embedding(for path: String, shouldCancel: @Sendable () -> Bool = { false }) throws -> ImageEmbedding {
        if let known = cache.withLock({ $0[path] }) { return known }
        let picture: RGBAImage
        do { picture = try ImageDecoder.decode(path: path) } catch { throw PipelineFailure(error.description) }
        let embedding = try vision.withLock { model throws -> ImageEmbedding in
            do { return try model.encode(picture, shouldCancel: shouldCancel) } catch { throw PipelineFailure("stopped") }
        }
        cache.withLock { $0[path] = embedding }
        return embedding
    }

    /// How many pictures have been encoded so far.
    var encodedCount: Int { cache.withLock { $0.count } }
}
