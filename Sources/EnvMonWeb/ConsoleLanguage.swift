/// The console speaks Vietnamese unless asked otherwise (`?lang=en`, remembered in a cookie).
package enum ConsoleLanguage: String, Sendable, CaseIterable {
    case vi
    case en

    package var words: ConsoleWords { self == .vi ? .vietnamese : .english }
}
