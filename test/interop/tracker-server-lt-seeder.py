"""A libtorrent 2.0 seeder that can be found only through a tracker.

Usage: tracker-server-lt-seeder.py '<json>' with keys dir, size, pieceLength, tracker (announce URL), host
(the address to listen on).
Writes dir/seed/payload.bin and dir/payload.torrent (announcing to the tracker), seeds with DHT, LSD and
PEX off, waits for its first tracker reply, prints one JSON line {"infoHash", "torrent"} (or
{"error"}), and runs until stdin closes.
"""
import json
import os
import sys
import time

import libtorrent as lt


def main():
    args = json.loads(sys.argv[1])
    seed_dir = os.path.join(args["dir"], "seed")
    os.makedirs(seed_dir)
    with open(os.path.join(seed_dir, "payload.bin"), "wb") as out:
        out.write(bytes((i * 13 + 5) % 251 for i in range(args["size"])))
    storage = lt.file_storage()
    lt.add_files(storage, os.path.join(seed_dir, "payload.bin"))
    creator = lt.create_torrent(storage, args["pieceLength"], lt.create_torrent.v1_only)
    creator.add_tracker(args["tracker"])
    lt.set_piece_hashes(creator, seed_dir)
    torrent = lt.bencode(creator.generate())
    torrent_path = os.path.join(args["dir"], "payload.torrent")
    with open(torrent_path, "wb") as out:
        out.write(torrent)
    session = lt.session({
        "listen_interfaces": args["host"] + ":0",
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "allow_multiple_connections_per_ip": True,
        "alert_mask": lt.alert.category_t.tracker_notification | lt.alert.category_t.error_notification,
    })
    info = lt.torrent_info(torrent)
    session.add_torrent({"ti": info, "save_path": seed_dir, "flags": lt.torrent_flags.seed_mode | lt.torrent_flags.disable_pex})
    deadline = time.time() + 30
    result = {"error": "no tracker reply within 30 s"}
    while time.time() < deadline and "infoHash" not in result:
        session.wait_for_alert(200)
        for alert in session.pop_alerts():
            if isinstance(alert, lt.tracker_reply_alert):
                result = {"infoHash": str(info.info_hashes().v1), "torrent": torrent_path}
            elif isinstance(alert, lt.tracker_error_alert):
                result = {"error": alert.message()}
                deadline = 0
    print(json.dumps(result), flush=True)
    sys.stdin.read()


main()
