// A simulated sensor: a real MQTT client (the `mqtt` package) that logs in
// to the appliance's broker as a demo device and publishes its messages,
// exactly as a device in an elder's home does.
import mqtt from 'mqtt';
import { createHash } from 'node:crypto';

/**
 * deviceToken is the MQTT password of a demo device, derived as
 * demo.DeviceToken does: the hex of the first 16 bytes of
 * SHA-256("fengqiao-demo-device:" + clientID).
 */
export function deviceToken(clientId) {
	return createHash('sha256').update('fengqiao-demo-device:' + clientId).digest('hex').slice(0, 32);
}

/**
 * connectDevice logs in to the broker on 127.0.0.1:port as the demo device
 * clientId (MQTT 3.1.1, clean session, no reconnects: a refused login
 * fails the test instead of retrying).
 */
export function connectDevice(port, clientId) {
	return mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
		clientId,
		username: clientId,
		password: deviceToken(clientId),
		protocolVersion: 4,
		clean: true,
		reconnectPeriod: 0,
		connectTimeout: 10_000,
	});
}

/**
 * publishUp sends payload (an object) to devices/{clientId}/up with QoS 1
 * and resolves once the broker acknowledged it (PUBACK): the appliance has
 * committed the message by then.
 */
export function publishUp(client, clientId, payload) {
	return client.publishAsync(`devices/${clientId}/up`, JSON.stringify(payload), { qos: 1 });
}
