"""Two libtorrent 2.0 sessions that can find each other only through a tracker.

Usage: tracker-server-libtorrent.py '<json>' with keys dir, size, pieceLength, tracker (announce URL),
timeout (seconds). Writes dir/seed/payload.bin, makes a torrent announcing to the tracker, starts a
seeder, waits for its first tracker reply, then starts a leecher in dir/leech with DHT, LSD and PEX off
and no peer given. Prints one JSON object: finished, identical (payload bytes), infoHash, tracker
replies (num_peers per announce, by session) and tracker errors.
"""
import json
import os
import sys
import time

import libtorrent as lt

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "libs", "testing", "python"))
from lt_hermetic import hermetic_settings  # noqa: E402

SETTINGS = hermetic_settings(
    0, lt.alert.category_t.tracker_notification | lt.alert.category_t.error_notification | lt.alert.category_t.status_notification
)


def drain(session, name, replies, errors):
    for alert in session.pop_alerts():
        if isinstance(alert, lt.tracker_reply_alert):
            replies.append({"session": name, "peers": alert.num_peers})
        elif isinstance(alert, lt.tracker_error_alert):
            errors.append({"session": name, "message": alert.message()})


def main():
    args = json.loads(sys.argv[1])
    seed_dir = os.path.join(args["dir"], "seed")
    leech_dir = os.path.join(args["dir"], "leech")
    os.makedirs(seed_dir)
    os.makedirs(leech_dir)
    payload = bytes((i * 13 + 5) % 251 for i in range(args["size"]))
    with open(os.path.join(seed_dir, "payload.bin"), "wb") as out:
        out.write(payload)
    storage = lt.file_storage()
    lt.add_files(storage, os.path.join(seed_dir, "payload.bin"))
    creator = lt.create_torrent(storage, args["pieceLength"], lt.create_torrent.v1_only)
    creator.add_tracker(args["tracker"])
    lt.set_piece_hashes(creator, seed_dir)
    info = lt.torrent_info(lt.bencode(creator.generate()))

    replies, errors = [], []
    seeder = lt.session(SETTINGS)
    seeder.add_torrent({"ti": info, "save_path": seed_dir, "flags": lt.torrent_flags.seed_mode})
    deadline = time.time() + args["timeout"]
    while time.time() < deadline and not any(r["session"] == "seeder" for r in replies):
        seeder.wait_for_alert(200)
        drain(seeder, "seeder", replies, errors)

    leecher = lt.session(SETTINGS)
    handle = leecher.add_torrent({"ti": lt.torrent_info(info), "save_path": leech_dir, "flags": lt.torrent_flags.disable_pex})
    finished = False
    while time.time() < deadline and not finished:
        leecher.wait_for_alert(200)
        drain(leecher, "leecher", replies, errors)
        drain(seeder, "seeder", replies, errors)
        finished = handle.status().is_seeding
    identical = False
    if finished:
        with open(os.path.join(leech_dir, "payload.bin"), "rb") as result:
            identical = result.read() == payload
    print(json.dumps({
        "finished": finished,
        "identical": identical,
        "infoHash": str(info.info_hashes().v1),
        "replies": replies,
        "errors": errors,
    }), flush=True)


main()
