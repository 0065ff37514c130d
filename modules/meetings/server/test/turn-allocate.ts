import { createSocket } from "node:dgram";
import { classes, makeIntegrityKey, Message, methods, parseMessage } from "werift";

/** What the TURN server answered an authenticated Allocate: the relayed address, or the error code. */
export type AllocateOutcome = { ok: true; relayed: [string, number] } | { ok: false; code: number };

/** REQUESTED-TRANSPORT: UDP (protocol 17 in the first byte). */
const UDP = 0x11000000;

/**
 * One TURN Allocate over UDP with long-term credentials, the way a browser
 * starts (RFC 8656): unauthenticated first, to learn the realm and nonce from
 * the 401, then with USERNAME, REALM, NONCE and MESSAGE-INTEGRITY. werift's
 * own TURN client cannot tell a refusal from a loss (it drops the second 401,
 * which carries no integrity, and retries until it times out), so the test
 * speaks the two requests itself, with werift's STUN codec. Loopback only:
 * no retransmission.
 */
export async function turnAllocate(port: number, username: string, password: string): Promise<AllocateOutcome> {
  const sock = createSocket("udp4");
  await new Promise<void>((resolve) => sock.bind(0, "127.0.0.1", resolve));
  const ask = (req: Message) =>
    new Promise<Message>((resolve, reject) => {
      const onMessage = (data: Buffer) => {
        const res = parseMessage(data);
        if (!res || !res.transactionId.equals(req.transactionId)) return;
        sock.off("message", onMessage);
        resolve(res);
      };
      sock.on("message", onMessage);
      sock.send(req.bytes, port, "127.0.0.1", (e) => e && reject(e));
    });
  const allocate = () =>
    new Message(methods.ALLOCATE, classes.REQUEST)
      .setAttribute("LIFETIME", 600)
      .setAttribute("REQUESTED-TRANSPORT", UDP);
  try {
    const challenge = await ask(allocate());
    const realm = challenge.getAttributeValue("REALM") as string;
    const nonce = challenge.getAttributeValue("NONCE") as Buffer;
    if (challenge.messageClass !== classes.ERROR || !realm || !nonce)
      throw new Error("the TURN server did not ask for credentials");
    const res = await ask(
      allocate()
        .setAttribute("USERNAME", username)
        .setAttribute("REALM", realm)
        .setAttribute("NONCE", nonce)
        .addMessageIntegrity(makeIntegrityKey(username, realm, password)),
    );
    if (res.messageClass === classes.RESPONSE)
      return { ok: true, relayed: res.getAttributeValue("XOR-RELAYED-ADDRESS") as [string, number] };
    const [code] = res.getAttributeValue("ERROR-CODE") as [number, string];
    return { ok: false, code };
  } finally {
    sock.close();
  }
}
