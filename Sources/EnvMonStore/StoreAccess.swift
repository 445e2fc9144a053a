/// What a process does with the store, which decides how it is opened.
package enum StoreAccess: Hashable, Sendable {
    /// envmond (and the tools that fill a store the way it does): the single writer; creates the
    /// store if missing and brings its schema up to date.
    case ingest
    /// The CLI's reads: never creates, migrates or writes.
    case read
    /// The CLI's few writes: requests it queues for the daemon (acknowledgements, maintenance,
    /// reject replays, resends). Never creates or migrates.
    case queueRequests
    /// The web console: many concurrent readers on a store of this version's schema.
    case serve(readers: Int)
}

extension StoreAccess {
    /// The accesses that must not write at all: the CLI's reads and the console.
    var isReadOnly: Bool {
        switch self {
        case .read, .serve: true
        case .ingest, .queueRequests: false
        }
    }

    /// How many connections a PostgreSQL session for this access may hold: the console's readers;
    /// one for the rest (a writer's calls must stay in order).
    var connections: Int {
        if case .serve(let readers) = self { max(1, readers) } else { 1 }
    }
}
