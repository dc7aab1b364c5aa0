import bcrypt from 'bcrypt';

const ROUNDS = 12;

export const hashPassword = (plain: string, rounds = ROUNDS) => bcrypt.hash(plain, rounds);
export const verifyPassword = (plain: string, hash: string) => bcrypt.compare(plain, hash);

// Compared against when the email is unknown, so that an unknown email and a
// wrong password take the same time and give the same answer.
const dummyHash = bcrypt.hashSync('this-is-not-anyones-password', ROUNDS);
export const burnPasswordCheck = (plain: string) => bcrypt.compare(plain, dummyHash).then(() => false);
