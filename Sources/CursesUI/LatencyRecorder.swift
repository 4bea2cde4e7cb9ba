import Glibc

/// Collects how long things take to reach the screen: engine tokens (from the worker posting
/// them to the frame that shows them) and key presses (from reading them to that frame).
/// Written to a file at exit when asked, as a benchmark reads it; the app never acts on it.
final class LatencyRecorder {
    private(set) var tokenDelays: [Double] = []
    private(set) var keyDelays: [Double] = []

    func recordToken(_ seconds: Double) { if tokenDelays.count < 1_000_000 { tokenDelays.append(seconds) } }
    func recordKey(_ seconds: Double) { if keyDelays.count < 1_000_000 { keyDelays.append(seconds) } }

    static func summary(_ name: String, _ values: [Double]) -> String {
        guard !values.isEmpty else { return "\(name): no samples\n" }
        let sorted = values.sorted()
        func at(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * q))] * 1000 }
        let mean = values.reduce(0, +) / Double(values.count) * 1000
        return "\(name): n=\(values.count) mean=\(ms(mean)) ms p50=\(ms(at(0.5))) ms p90=\(ms(at(0.9))) ms p99=\(ms(at(0.99))) ms max=\(ms(at(1))) ms\n"
    }

    private static func ms(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    func write(to path: String) {
        let text = Self.summary("token-to-screen", tokenDelays) + Self.summary("key-to-screen", keyDelays)
        guard let file = fopen(path, "w") else { return }
        fputs(text, file)
        fclose(file)
    }
}
