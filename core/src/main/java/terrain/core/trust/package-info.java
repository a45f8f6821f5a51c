// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Device trust without a shared secret: the enrolment text ops staff print as a QR code, the bundle
 * the server signs for each device, the device's MQTT secret (only its hash leaves the device) and
 * the staff PIN's hash. No class here touches the network or a database.
 */
package terrain.core.trust;
