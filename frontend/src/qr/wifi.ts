/** The Wi-Fi join code phones understand: WIFI:T:WPA;S:<ssid>;P:<password>;; */
export interface WifiNetwork {
  ssid: string;
  password?: string;
}

/** Backslash before the characters the format gives meaning to: \ ; , " : */
export function escapeWifiField(value: string): string {
  return value.replace(/[\\;,":]/g, (character) => `\\${character}`);
}

export function wifiPayload(network: WifiNetwork): string {
  const ssid = escapeWifiField(network.ssid);
  if (network.password === undefined || network.password === "") return `WIFI:T:nopass;S:${ssid};;`;
  return `WIFI:T:WPA;S:${ssid};P:${escapeWifiField(network.password)};;`;
}
