import AppCore
import CursesUI
import Glibc
import ImageIO

extension ChatEnvironment {
    /// The real clock, home folder, files and image headers.
    static var live: ChatEnvironment {
        let home = getenv("HOME").map { String(cString: $0) } ?? "/"
        return ChatEnvironment(
            now: { MonotonicClock.seconds() },
            home: home,
            fileExists: { FileSystem.exists($0) },
            listDirectory: { FileSystem.list($0) },
            probeImage: { path in
                do throws(ImageError) {
                    // Decompression bombs are refused here, before anything tries to decode them.
                    let info = try ImageDecoder.probe(path: path, limits: .default)
                    return .success(AttachedImage(path: path, width: info.width, height: info.height))
                } catch {
                    return .failure(ImageProbeFailure(error.description))
                }
            }
        )
    }
}
