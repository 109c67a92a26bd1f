//! The no-telemetry baseline of the exit bench: the same process shape as
//! the other minimal CLIs (args read, the two hashes computed), nothing sent.
#![forbid(unsafe_code)]

fn main() {
    let _url = std::env::args().nth(1);
    let h = peer_event::Hmac::new(&peer_event::KEY);
    let hashed = [h.hex(peer_event::PROJECT), h.hex(peer_event::BRANCH)];
    std::hint::black_box(hashed);
}
