import { describe, expect, it } from "vitest";
import { escapeWifiField, wifiPayload } from "./wifi.ts";

describe("wifiPayload", () => {
  it("builds a WPA join code", () => {
    expect(wifiPayload({ ssid: "tree", password: "lights123" })).toBe("WIFI:T:WPA;S:tree;P:lights123;;");
  });

  it("escapes the format's special characters in both fields", () => {
    expect(escapeWifiField('a\\b;c,d"e:f')).toBe('a\\\\b\\;c\\,d\\"e\\:f');
    expect(wifiPayload({ ssid: "my;net", password: 'p:a"ss' })).toBe('WIFI:T:WPA;S:my\\;net;P:p\\:a\\"ss;;');
  });

  it("makes an open-network code when there is no password", () => {
    expect(wifiPayload({ ssid: "tree" })).toBe("WIFI:T:nopass;S:tree;;");
  });
});
