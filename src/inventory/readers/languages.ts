import type { AnyInventoryReader } from '../reader.js';
import { cargoLockReader } from '../formats/cargo-lock/index.js';
import { composerLockReader } from '../formats/composer-lock/index.js';
import { conanLockReader } from '../formats/conan-lock/index.js';
import { csprojReader } from '../formats/csproj/index.js';
import { gemfileLockReader } from '../formats/gemfile-lock/index.js';
import { goModReader } from '../formats/go-mod/index.js';
import { gradleLockReader } from '../formats/gradle-lock/index.js';
import { gradleVerificationReader } from '../formats/gradle-verification/index.js';
import { mavenPomReader } from '../formats/maven-pom/index.js';
import { mixLockReader } from '../formats/mix-lock/index.js';
import { nugetLockReader } from '../formats/nuget-lock/index.js';
import { pubspecLockReader } from '../formats/pubspec-lock/index.js';
import { renvLockReader } from '../formats/renv-lock/index.js';

/**
 * The languages inventory readers (Go, Rust, Ruby, PHP, .NET, Java, Dart, Elixir, C/C++, R),
 * one folder each under src/inventory/formats/, the folder named by the reader id.
 */
export const LANGUAGES_READERS: readonly AnyInventoryReader[] = [
  goModReader,
  cargoLockReader,
  gemfileLockReader,
  composerLockReader,
  nugetLockReader,
  csprojReader,
  mavenPomReader,
  gradleLockReader,
  gradleVerificationReader,
  pubspecLockReader,
  mixLockReader,
  conanLockReader,
  renvLockReader,
];
