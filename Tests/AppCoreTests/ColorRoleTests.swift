import AppCore
import Testing

@Test func everyRoleHasADistinctName() {
    #expect(Set(ColorRole.allCases.map(\.rawValue)).count == ColorRole.allCases.count)
}
