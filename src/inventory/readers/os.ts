import { apkInstalledReader } from '../formats/apk-installed/index.js';
import { dpkgStatusReader } from '../formats/dpkg-status/index.js';
import { rpmSqliteReader } from '../formats/rpm-sqlite/index.js';
import type { AnyInventoryReader } from '../reader.js';

/** The os inventory readers, one folder each under src/inventory/formats/. */
export const OS_READERS: readonly AnyInventoryReader[] = [dpkgStatusReader, apkInstalledReader, rpmSqliteReader];
