/// Why `StoreCopier` refused or did not finish a copy, told apart so the CLI can say whether the
/// target was left untouched (`targetNotEmpty`, `busy`) or holds a partial copy a re-run resumes
/// (`incomplete`, `mismatch`). Problems opening either store are `StoreError`s, as elsewhere.
package struct StoreCopyError: Error, CustomStringConvertible, Sendable {
    package enum Kind: Sendable {
        /// The target holds data that is not an interrupted copy of this source; nothing written.
        case targetNotEmpty
        /// Another copy into the same target is running; nothing written.
        case busy
        /// Writing to the target failed part way (server gone, disk full): what was committed stays.
        case incomplete
        /// Copied, but the target's row counts differ from the source's for the tables named.
        case mismatch
    }

    package var kind: Kind
    package var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { message }
}
