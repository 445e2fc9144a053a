/// A logged-in staff member, as the server remembers them. Only `id` goes to the browser (in a
/// cookie); `csrfToken` goes into the pages' forms and must come back with every change.
package struct Session: Sendable, Equatable {
    /// 32 random bytes in base64url: the cookie value.
    package let id: String
    /// Another 32 random bytes: the hidden form field of every form a logged-in page shows.
    package let csrfToken: String
    /// The staff account name, as in the users file.
    package let user: String
    /// On the monotonic clock, so that a wall-clock step (NTP after a boot without a real-time
    /// clock) neither ends sessions early nor stretches them.
    package let created: ContinuousClock.Instant
    package let expires: ContinuousClock.Instant

    package init(
        id: String, csrfToken: String, user: String, created: ContinuousClock.Instant,
        expires: ContinuousClock.Instant
    ) {
        self.id = id
        self.csrfToken = csrfToken
        self.user = user
        self.created = created
        self.expires = expires
    }
}
