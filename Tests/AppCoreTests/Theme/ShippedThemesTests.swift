import AppCore
import Foundation
import Testing

/// The repository's themes/ folder, found from this file's path (Tests/AppCoreTests/Theme/…).
private let themesDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("themes")

private func shippedThemes() throws -> [(file: String, source: String)] {
    let names = try FileManager.default.contentsOfDirectory(atPath: themesDirectory.path)
        .filter { $0.hasSuffix(".toml") }.sorted()
    return try names.map { ($0, try String(contentsOf: themesDirectory.appendingPathComponent($0), encoding: .utf8)) }
}

@Suite struct ShippedThemesTests {
    @Test func theThreeThemesAreShipped() throws {
        let files = Set(try shippedThemes().map(\.file))
        #expect(files.isSuperset(of: ["dark.toml", "light.toml", "high-contrast.toml"]))
    }

    @Test func everyShippedThemeParsesAndGivesEveryRole() throws {
        for (file, source) in try shippedThemes() {
            let theme = try ThemeParser.parse(source, fileName: file)
            #expect(theme.name + ".toml" == file)
            for role in ColorRole.allCases {
                #expect(theme.styles[role] != nil, "\(file) leaves out \(role.rawValue)")
            }
        }
    }

    @Test func foregroundAndBackgroundDifferEverywhere() throws {
        for (file, source) in try shippedThemes() {
            let theme = try ThemeParser.parse(source, fileName: file)
            for colors in [1 << 24, 256] {
                for role in ColorRole.allCases {
                    let style = theme.degraded(toColors: colors).style(role)
                    #expect(style.foreground != style.background, "\(file) \(role.rawValue) at \(colors) colours")
                }
            }
        }
    }

    @Test func highContrastUsesBasicColoursAndReadsOnEightColours() throws {
        let source = try String(contentsOf: themesDirectory.appendingPathComponent("high-contrast.toml"), encoding: .utf8)
        let theme = try ThemeParser.parse(source, fileName: "high-contrast.toml")
        for role in ColorRole.allCases {
            let style = theme.style(role)
            for color in [style.foreground, style.background] {
                guard case .ansi(let i) = color else {
                    Issue.record("\(role.rawValue) uses \(color), not a basic colour")
                    continue
                }
                #expect((0..<16).contains(i))
            }
            let eight = style.degraded(toColors: 8)
            #expect(eight.foreground != eight.background, "\(role.rawValue) vanishes on 8 colours")
        }
    }

    @Test func builtInThemeIsTheShippedDarkTheme() throws {
        let source = try String(contentsOf: themesDirectory.appendingPathComponent("dark.toml"), encoding: .utf8)
        #expect(source == Theme.builtInSource + "\n")
        #expect(Theme.builtIn == (try ThemeParser.parse(source, fileName: "dark.toml")))
        #expect(Theme.builtIn.styles.count == ColorRole.allCases.count)
    }
}
