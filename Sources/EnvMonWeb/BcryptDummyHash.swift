internal import HummingbirdBcrypt
internal import Synchronization

/// A bcrypt hash of a random password, per cost, for checking a login against when the name is
/// unknown: the answer then takes as long as for a real account, so timing does not tell which
/// names exist. Made once per cost and kept for the life of the process.
enum BcryptDummyHash {
    private static let hashes = Mutex<[UInt8: String]>([:])

    static func hash(cost: UInt8) -> String {
        if let known = hashes.withLock({ $0[cost] }) { return known }
        // Hashed outside the lock: at cost 12 this takes a quarter of a second.
        let made = Bcrypt.hash(RandomToken.make(), cost: cost)
        return hashes.withLock { hashes in
            if let known = hashes[cost] { return known }
            hashes[cost] = made
            return made
        }
    }
}
