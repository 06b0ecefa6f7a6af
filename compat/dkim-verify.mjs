// Verifies the DKIM signatures of the mail in the file named by the first argument with mailauth (the library of
// Nodemailer's author), asking DNS nothing: the one TXT record there is comes from DKIM_TXT_NAME and DKIM_TXT_VALUE.
// Prints each signature's domain, selector and result (pass, fail, neutral) as JSON.
import { readFile } from 'node:fs/promises';
import mailauth from 'mailauth';

const message = await readFile(process.argv[2]);
const resolver = async (name, type) => {
    if (type === 'TXT' && name === process.env.DKIM_TXT_NAME) {
        return [[process.env.DKIM_TXT_VALUE]];
    }
    const error = new Error(`no ${type} record for ${name}`);
    error.code = 'ENOTFOUND';
    throw error;
};
const result = await mailauth.dkimVerify(message, { resolver });
console.log(JSON.stringify(result.results.map((r) => ({
    domain: r.signingDomain, selector: r.selector, result: r.status.result, comment: r.status.comment
}))));
