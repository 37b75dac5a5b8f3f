//+------------------------------------------------------------------+
//| BourseBridge.mq4 - connects this MetaTrader 4 terminal to Bourse  |
//|                                                                  |
//| Bourse is the server: this EA polls it over WebRequest, runs the  |
//| commands it is handed with OrderSend/OrderDelete/OrderModify/    |
//| OrderClose, and reports the results and the account (heartbeat).  |
//| Protocol v1, see docs/brokers/metatrader.md. Same protocol and    |
//| same never-twice rule as BourseBridge.mq5; MT4 differences:       |
//| tickets are ints, errors are GetLastError() numbers, no           |
//| stop-limit orders, no deal history (fills are reported from the   |
//| market orders opened recently).                                   |
//|                                                                  |
//| Setup: Tools > Options > Expert Advisors > "Allow WebRequest for  |
//| listed URL", add BridgeUrl exactly as entered below.             |
//+------------------------------------------------------------------+
#property copyright "Bourse"
#property version   "1.30"
#property strict
#property description "Bourse Bridge: runs Bourse's orders in this terminal and reports the account."

#include <stdlib.mqh>   // ErrorDescription()

input string BridgeUrl      = "http://127.0.0.1:8787"; // Bourse address (as shown in Bourse)
input string BridgeToken    = "";                      // Bridge token (Bourse shows it once)
input int    PollMs         = 1000;                    // How often to ask Bourse for commands (ms)
input int    HeartbeatSec   = 5;                       // How often to report the account (s)
input int    MagicNumber    = 240024;                  // Magic number of the orders this EA opens
input int    SlippagePoints = 20;                      // Max deviation for market orders (points)
input int    TimeoutMs      = 5000;                    // WebRequest timeout (ms), on top of a poll's wait
input int    LongPollSec    = 20;                      // Hold each poll at Bourse up to this long for a command (s); 0 = poll every PollMs

#define EA_VERSION     "1.3.0"
#define DEAL_WINDOW    600      // seconds: market orders opened this recently are sent as fills
#define MAX_SYMBOLS    500
#define MEMORY_KEEP    1000     // command ids kept in the state file
#define POLL_WAIT_MAX  25000    // ms: the longest wait Bourse accepts

string g_base = "";
bool   g_busy = false;
bool   g_blocked = false;       // WebRequest not allowed for BridgeUrl
bool   g_warnedAuth = false;
bool   g_warnedNet = false;
bool   g_symbolsSent = false;
uint   g_lastHeartbeat = 0;
bool   g_longPollRefused = false; // a Bourse from before long-poll refused waitMs
bool   g_ackOnPollRefused = false; // a Bourse before 1.2 refused results in a poll
bool   g_heartbeatOnPollRefused = false; // a Bourse before 1.3 refused a heartbeat in a poll
string g_ids[];                 // command ids this EA has started
string g_results[];             // their result JSON ("" = started, no result written)

//+------------------------------------------------------------------+
//| JSON writing                                                     |
//+------------------------------------------------------------------+
string JsonEscape(const string s)
  {
   string out = "";
   int n = StringLen(s);
   for(int i = 0; i < n; i++)
     {
      ushort c = StringGetCharacter(s, i);
      if(c == '"')
         out += "\\\"";
      else
         if(c == '\\')
            out += "\\\\";
         else
            if(c < 32)
               out += StringFormat("\\u%04x", c);
            else
               out += ShortToString(c);
     }
   return out;
  }

string Q(const string s)                  { return "\"" + JsonEscape(s) + "\""; }
string Dec(const double v, const int d)   { return "\"" + DoubleToString(v, d) + "\""; }
string DecOrNull(const double v, const int d) { return v == 0.0 ? "null" : Dec(v, d); }
string Bool(const bool b)                 { return b ? "true" : "false"; }
string Int(const long v)                  { return IntegerToString(v); }

//+------------------------------------------------------------------+
//| JSON reading: Bourse's commands are flat objects in one array    |
//+------------------------------------------------------------------+
int HexValue(const string h)
  {
   int v = 0;
   for(int i = 0; i < StringLen(h); i++)
     {
      ushort c = StringGetCharacter(h, i);
      v *= 16;
      if(c >= '0' && c <= '9')
         v += c - '0';
      else
         if(c >= 'a' && c <= 'f')
            v += c - 'a' + 10;
         else
            if(c >= 'A' && c <= 'F')
               v += c - 'A' + 10;
     }
   return v;
  }

// The objects of the array under "key", each as its JSON text.
int JsonArrayObjects(const string text, const string key, string &out[])
  {
   ArrayResize(out, 0);
   int p = StringFind(text, "\"" + key + "\":[");
   if(p < 0)
      return 0;
   p = StringFind(text, "[", p);
   int n = StringLen(text), depth = 0, start = -1;
   bool inString = false;
   for(int i = p + 1; i < n; i++)
     {
      ushort c = StringGetCharacter(text, i);
      if(inString)
        {
         if(c == '\\')
            i++;
         else
            if(c == '"')
               inString = false;
         continue;
        }
      if(c == '"')
         inString = true;
      else
         if(c == '{')
           {
            if(depth == 0)
               start = i;
            depth++;
           }
         else
            if(c == '}')
              {
               depth--;
               if(depth == 0 && start >= 0)
                 {
                  int k = ArraySize(out);
                  ArrayResize(out, k + 1);
                  out[k] = StringSubstr(text, start, i - start + 1);
                  start = -1;
                 }
              }
            else
               if(c == ']' && depth == 0)
                  break;
     }
   return ArraySize(out);
  }

// The value of "key" in a flat object: a string (unescaped) or a number as text.
// False when the key is absent or null.
bool JsonValue(const string obj, const string key, string &value)
  {
   value = "";
   string pattern = "\"" + key + "\":";
   int p = StringFind(obj, pattern);
   if(p < 0)
      return false;
   p += StringLen(pattern);
   int n = StringLen(obj);
   if(StringGetCharacter(obj, p) == '"')
     {
      for(int i = p + 1; i < n; i++)
        {
         ushort c = StringGetCharacter(obj, i);
         if(c == '"')
            return true;
         if(c == '\\')
           {
            i++;
            ushort e = StringGetCharacter(obj, i);
            if(e == 'n')
               value += "\n";
            else
               if(e == 't')
                  value += "\t";
               else
                  if(e == 'u')
                    {
                     value += ShortToString((ushort)HexValue(StringSubstr(obj, i + 1, 4)));
                     i += 4;
                    }
                  else
                     value += ShortToString(e);
            continue;
           }
         value += ShortToString(c);
        }
      return false;
     }
   int e = p;
   while(e < n)
     {
      ushort c = StringGetCharacter(obj, e);
      if(c == ',' || c == '}')
         break;
      e++;
     }
   value = StringSubstr(obj, p, e - p);
   if(value == "null")
     {
      value = "";
      return false;
     }
   return true;
  }

string Field(const string obj, const string key)
  {
   string v;
   JsonValue(obj, key, v);
   return v;
  }

//+------------------------------------------------------------------+
//| HTTP                                                             |
//+------------------------------------------------------------------+
void AllowListAlert()
  {
   if(g_blocked)
      return;
   g_blocked = true;
   Alert("BourseBridge: WebRequest is not allowed for ", g_base,
         ". Add the address '", g_base,
         "' to the list of allowed URLs: Tools > Options > Expert Advisors > 'Allow WebRequest for listed URL', then attach the EA again.");
  }

// POSTs JSON to /bridge/mt/v1/<path>; returns the HTTP status, or -1 when nothing came back.
// waitMs: how long Bourse may hold the answer (a long-poll); the timeout allows for it.
int Post(const string path, const string body, string &response, const int waitMs = 0)
  {
   char data[], result[];
   string resultHeaders;
   int len = StringToCharArray(body, data, 0, WHOLE_ARRAY, CP_UTF8);
   if(len > 0)
      ArrayResize(data, len - 1); // without the terminating zero
   // The token goes only in this header; it is never printed.
   string headers = "Content-Type: application/json\r\nAuthorization: Bearer " + BridgeToken + "\r\n";
   ResetLastError();
   int status = WebRequest("POST", g_base + "/bridge/mt/v1/" + path, headers, TimeoutMs + waitMs, data, result, resultHeaders);
   if(status == -1)
     {
      int err = GetLastError();
      if(err == 4060) // ERR_FUNCTION_NOT_CONFIRMED: the URL is not in the allow-list
         AllowListAlert();
      else
         if(!g_warnedNet)
           {
            Print("BourseBridge: cannot reach ", g_base, " (error ", err, "); retrying");
            g_warnedNet = true;
           }
      return -1;
     }
   g_warnedNet = false;
   response = CharArrayToString(result, 0, WHOLE_ARRAY, CP_UTF8);
   if(status == 401 && !g_warnedAuth)
     {
      Alert("BourseBridge: Bourse refused the bridge token. Copy it again from Bourse (Accounts > MetaTrader > EA setup).");
      g_warnedAuth = true;
     }
   else
      if(status == 200)
         g_warnedAuth = false;
      else
         if(status != 401)
            Print("BourseBridge: ", path, " answered HTTP ", status, ": ", StringSubstr(response, 0, 300));
   return status;
  }

//+------------------------------------------------------------------+
//| What ran: the state file in the common folder                    |
//+------------------------------------------------------------------+
string StateFile()
  {
   return "BourseBridge-state-" + Int(AccountNumber()) + "-" + Int(MagicNumber) + ".txt";
  }

int MemoryFind(const string id)
  {
   for(int i = ArraySize(g_ids) - 1; i >= 0; i--)
      if(g_ids[i] == id)
         return i;
   return -1;
  }

void MemorySet(const string id, const string result)
  {
   int i = MemoryFind(id);
   if(i < 0)
     {
      i = ArraySize(g_ids);
      ArrayResize(g_ids, i + 1);
      ArrayResize(g_results, i + 1);
      g_ids[i] = id;
     }
   g_results[i] = result;
  }

// Appends one line and flushes it to disk before the caller goes on.
bool MemoryWrite(const string id, const string result)
  {
   MemorySet(id, result);
   int h = FileOpen(StateFile(), FILE_READ | FILE_WRITE | FILE_TXT | FILE_ANSI | FILE_COMMON);
   if(h == INVALID_HANDLE)
     {
      Print("BourseBridge: cannot write ", StateFile(), " (error ", GetLastError(), ")");
      return false;
     }
   FileSeek(h, 0, SEEK_END);
   FileWriteString(h, id + (result == "" ? "|S|" : "|D|" + result) + "\r\n");
   FileFlush(h);
   FileClose(h);
   return true;
  }

void MemoryLoad()
  {
   ArrayResize(g_ids, 0);
   ArrayResize(g_results, 0);
   int h = FileOpen(StateFile(), FILE_READ | FILE_TXT | FILE_ANSI | FILE_COMMON);
   if(h == INVALID_HANDLE)
      return;
   while(!FileIsEnding(h))
     {
      string line = FileReadString(h);
      int bar = StringFind(line, "|");
      if(bar <= 0 || StringLen(line) < bar + 3)
         continue;
      string kind = StringSubstr(line, bar + 1, 1);
      MemorySet(StringSubstr(line, 0, bar), kind == "D" ? StringSubstr(line, bar + 3) : "");
     }
   FileClose(h);
   // Keep the file short: rewrite the newest ids when it grew large.
   int n = ArraySize(g_ids);
   if(n > 2 * MEMORY_KEEP)
     {
      h = FileOpen(StateFile(), FILE_WRITE | FILE_TXT | FILE_ANSI | FILE_COMMON);
      if(h != INVALID_HANDLE)
        {
         for(int i = n - MEMORY_KEEP; i < n; i++)
            FileWriteString(h, g_ids[i] + (g_results[i] == "" ? "|S|" : "|D|" + g_results[i]) + "\r\n");
         FileClose(h);
        }
     }
  }

//+------------------------------------------------------------------+
//| Heartbeat                                                        |
//+------------------------------------------------------------------+
int SymDigits(const string symbol) { return (int)MarketInfo(symbol, MODE_DIGITS); }

int VolumeDigits(const string symbol)
  {
   double step = MarketInfo(symbol, MODE_LOTSTEP);
   for(int d = 0; d < 8; d++)
     {
      double scaled = step * MathPow(10, d);
      if(MathAbs(scaled - MathRound(scaled)) < 1e-8)
         return d;
     }
   return 8;
  }

#define CURRENCY_DIGITS 2

bool IsPending(const int type) { return type == OP_BUYLIMIT || type == OP_SELLLIMIT || type == OP_BUYSTOP || type == OP_SELLSTOP; }
bool IsMarket(const int type)  { return type == OP_BUY || type == OP_SELL; }

string PositionsJson()
  {
   string out = "";
   for(int i = 0; i < OrdersTotal(); i++)
     {
      if(!OrderSelect(i, SELECT_BY_POS, MODE_TRADES) || !IsMarket(OrderType()))
         continue;
      string sym = OrderSymbol();
      int d = SymDigits(sym);
      if(out != "")
         out += ",";
      out += "{\"ticket\":" + Q(Int(OrderTicket())) + ",\"symbol\":" + Q(sym)
             + ",\"side\":" + Q(OrderType() == OP_BUY ? "buy" : "sell")
             + ",\"volume\":" + Dec(OrderLots(), VolumeDigits(sym))
             + ",\"openPrice\":" + Dec(OrderOpenPrice(), d)
             + ",\"sl\":" + DecOrNull(OrderStopLoss(), d)
             + ",\"tp\":" + DecOrNull(OrderTakeProfit(), d)
             + ",\"profit\":" + Dec(OrderProfit(), CURRENCY_DIGITS)
             // An open market order's close price is the price it would close at now.
             + ",\"priceCurrent\":" + Dec(OrderClosePrice(), d)
             + ",\"comment\":" + Q(OrderComment())
             + ",\"magic\":" + Int(OrderMagicNumber())
             + ",\"openTime\":" + Int((long)OrderOpenTime()) + "}";
     }
   return out;
  }

string OrdersJson()
  {
   string out = "";
   for(int i = 0; i < OrdersTotal(); i++)
     {
      if(!OrderSelect(i, SELECT_BY_POS, MODE_TRADES) || !IsPending(OrderType()))
         continue;
      int t = OrderType();
      string sym = OrderSymbol();
      int d = SymDigits(sym);
      bool buy = t == OP_BUYLIMIT || t == OP_BUYSTOP;
      bool limit = t == OP_BUYLIMIT || t == OP_SELLLIMIT;
      if(out != "")
         out += ",";
      out += "{\"ticket\":" + Q(Int(OrderTicket())) + ",\"symbol\":" + Q(sym)
             + ",\"side\":" + Q(buy ? "buy" : "sell") + ",\"type\":" + Q(limit ? "limit" : "stop")
             + ",\"volume\":" + Dec(OrderLots(), VolumeDigits(sym))
             + ",\"price\":" + Dec(OrderOpenPrice(), d) + ",\"stopPrice\":null"
             + ",\"sl\":" + DecOrNull(OrderStopLoss(), d)
             + ",\"tp\":" + DecOrNull(OrderTakeProfit(), d)
             + ",\"comment\":" + Q(OrderComment())
             + ",\"magic\":" + Int(OrderMagicNumber())
             + ",\"setupTime\":" + Int((long)OrderOpenTime()) + "}";
     }
   return out;
  }

// MT4 keeps no deals: a market order opened recently is reported as its opening fill (a
// filled pending order keeps its ticket). The remainder of a partial close gets a new ticket
// with the comment "from #<ticket>": it is not a new fill, so it is left out.
string DealsJson()
  {
   string out = "";
   datetime since = TimeCurrent() - DEAL_WINDOW;
   for(int i = 0; i < OrdersTotal(); i++)
     {
      if(!OrderSelect(i, SELECT_BY_POS, MODE_TRADES) || !IsMarket(OrderType()))
         continue;
      if(OrderOpenTime() < since || StringFind(OrderComment(), "from #") == 0)
         continue;
      string sym = OrderSymbol();
      string ticket = Q(Int(OrderTicket()));
      if(out != "")
         out += ",";
      out += "{\"ticket\":" + ticket + ",\"order\":" + ticket + ",\"positionId\":" + ticket
             + ",\"symbol\":" + Q(sym)
             + ",\"side\":" + Q(OrderType() == OP_BUY ? "buy" : "sell")
             + ",\"volume\":" + Dec(OrderLots(), VolumeDigits(sym))
             + ",\"price\":" + Dec(OrderOpenPrice(), SymDigits(sym))
             + ",\"entry\":\"in\",\"comment\":" + Q(OrderComment())
             + ",\"time\":" + Int((long)OrderOpenTime()) + "}";
     }
   return out;
  }

string SymbolsJson()
  {
   string out = "";
   int n = SymbolsTotal(true);
   if(n > MAX_SYMBOLS)
      n = MAX_SYMBOLS;
   for(int i = 0; i < n; i++)
     {
      string sym = SymbolName(i, true);
      int d = SymDigits(sym);
      int vd = VolumeDigits(sym);
      if(out != "")
         out += ",";
      out += "{\"name\":" + Q(sym) + ",\"digits\":" + Int(d)
             + ",\"tickSize\":" + Dec(MarketInfo(sym, MODE_TICKSIZE), d)
             + ",\"tickValue\":" + DecOrNull(MarketInfo(sym, MODE_TICKVALUE), 8)
             + ",\"volumeStep\":" + Dec(MarketInfo(sym, MODE_LOTSTEP), vd)
             + ",\"volumeMin\":" + Dec(MarketInfo(sym, MODE_MINLOT), vd)
             + ",\"contractSize\":" + DecOrNull(MarketInfo(sym, MODE_LOTSIZE), 2)
             + ",\"forex\":" + Bool(MarketInfo(sym, MODE_PROFITCALCMODE) == 0) + "}";
     }
   return out;
  }

string HeartbeatJson(const bool stopping)
  {
   bool tradeAllowed = IsTradeAllowed() && MQLInfoInteger(MQL_TRADE_ALLOWED) != 0;
   string s = "{\"ea\":{\"version\":" + Q(EA_VERSION) + ",\"platform\":\"MT4\""
              + ",\"build\":" + Int(TerminalInfoInteger(TERMINAL_BUILD))
              + ",\"heartbeatMs\":" + Int(HeartbeatSec * 1000) + ",\"pollMs\":" + Int(PollMs) + "}";
   s += ",\"terminal\":{\"company\":" + Q(TerminalInfoString(TERMINAL_COMPANY))
        + ",\"name\":" + Q(TerminalInfoString(TERMINAL_NAME))
        + ",\"connected\":" + Bool(IsConnected())
        + ",\"tradeAllowed\":" + Bool(tradeAllowed)
        + ",\"gmtTime\":" + Int((long)TimeGMT()) + "}";
   s += ",\"account\":{\"login\":" + Q(Int(AccountNumber()))
        + ",\"name\":" + Q(AccountName())
        + ",\"server\":" + Q(AccountServer())
        + ",\"currency\":" + Q(AccountCurrency())
        + ",\"leverage\":" + Int(AccountLeverage())
        + ",\"demo\":" + Bool(IsDemo())
        + ",\"tradeAllowed\":" + Bool(AccountInfoInteger(ACCOUNT_TRADE_ALLOWED) != 0)
        + ",\"balance\":" + Dec(AccountBalance(), CURRENCY_DIGITS)
        + ",\"equity\":" + Dec(AccountEquity(), CURRENCY_DIGITS)
        + ",\"margin\":" + Dec(AccountMargin(), CURRENCY_DIGITS)
        + ",\"freeMargin\":" + Dec(AccountFreeMargin(), CURRENCY_DIGITS) + "}";
   s += ",\"positions\":[" + PositionsJson() + "]";
   s += ",\"orders\":[" + OrdersJson() + "]";
   s += ",\"deals\":[" + DealsJson() + "]";
   if(!g_symbolsSent)
      s += ",\"symbols\":[" + SymbolsJson() + "]";
   if(stopping)
      s += ",\"state\":\"stopping\"";
   return s + "}";
  }

int SendHeartbeat(const bool stopping)
  {
   string response;
   g_lastHeartbeat = GetTickCount();
   int status = Post("heartbeat", HeartbeatJson(stopping), response);
   if(status == 200)
      g_symbolsSent = true;
   return status;
  }

//+------------------------------------------------------------------+
//| Results                                                          |
//+------------------------------------------------------------------+
string Result(const bool ok, const long retcode, const string message, const string bridgeError,
              const string ticket, const string status, const string volume,
              const string filledVolume, const string price, const int count)
  {
   string s = "{\"ok\":" + Bool(ok) + ",\"retcode\":" + Int(retcode)
              + ",\"message\":" + Q(StringSubstr(message, 0, 200));
   if(bridgeError != "")
      s += ",\"bridgeError\":" + Q(bridgeError);
   if(ticket != "" && ticket != "0")
      s += ",\"ticket\":" + Q(ticket);
   if(status != "")
      s += ",\"status\":" + Q(status);
   if(volume != "")
      s += ",\"volume\":" + Q(volume);
   if(filledVolume != "")
      s += ",\"filledVolume\":" + Q(filledVolume);
   if(price != "")
      s += ",\"price\":" + Q(price);
   if(count >= 0)
      s += ",\"count\":" + Int(count);
   return s + ",\"executedAt\":" + Int((long)TimeGMT()) + "}";
  }

string Fail(const long retcode, const string message, const string bridgeError)
  {
   return Result(false, retcode, message, bridgeError, "", "", "", "", "", -1);
  }

// The last trade error as a result: MT4's GetLastError() number and its description.
string LastError()
  {
   int err = GetLastError();
   return Fail(err, ErrorDescription(err), "");
  }

double Num(const string text) { return text == "" ? 0.0 : StringToDouble(text); }

// A pending order still working, selected.
bool SelectPending(const int ticket)
  {
   return OrderSelect(ticket, SELECT_BY_TICKET) && OrderCloseTime() == 0 && IsPending(OrderType());
  }

//+------------------------------------------------------------------+
//| Commands                                                         |
//+------------------------------------------------------------------+
string ExecOpen(const string cmd)
  {
   string symbol = Field(cmd, "symbol"), side = Field(cmd, "side"), type = Field(cmd, "type");
   string volume = Field(cmd, "volume");
   if(!SymbolSelect(symbol, true))
      return Fail(4106, "unknown symbol " + symbol, "unknown_symbol"); // ERR_UNKNOWN_SYMBOL
   int d = SymDigits(symbol);
   bool buy = side == "buy";
   int op;
   double price;
   RefreshRates();
   if(type == "market")
     {
      op = buy ? OP_BUY : OP_SELL;
      price = MarketInfo(symbol, buy ? MODE_ASK : MODE_BID);
     }
   else
      if(type == "limit")
        {
         op = buy ? OP_BUYLIMIT : OP_SELLLIMIT;
         price = Num(Field(cmd, "price"));
        }
      else
         if(type == "stop")
           {
            op = buy ? OP_BUYSTOP : OP_SELLSTOP;
            price = Num(Field(cmd, "stopPrice"));
           }
         else
            return Fail(3, "MT4 has no " + type + " orders", "unsupported"); // ERR_INVALID_TRADE_PARAMETERS
   ResetLastError();
   int ticket = OrderSend(symbol, op, Num(volume), NormalizeDouble(price, d), SlippagePoints,
                          NormalizeDouble(Num(Field(cmd, "sl")), d), NormalizeDouble(Num(Field(cmd, "tp")), d),
                          Field(cmd, "comment"), MagicNumber, 0, clrNONE);
   if(ticket < 0)
      return LastError();
   if(type != "market")
      return Result(true, 0, "placed", "", Int(ticket), "open", volume, "", "", -1);
   double filled = OrderSelect(ticket, SELECT_BY_TICKET) ? OrderOpenPrice() : price;
   return Result(true, 0, "executed", "", Int(ticket), "filled", volume, volume, DoubleToString(filled, d), -1);
  }

string ExecCancel(const string cmd)
  {
   int ticket = (int)StringToInteger(Field(cmd, "ticket"));
   if(!SelectPending(ticket))
      return Fail(4108, "no pending order " + Int(ticket), "unknown_ticket"); // ERR_INVALID_TICKET
   ResetLastError();
   if(!OrderDelete(ticket, clrNONE))
      return LastError();
   return Result(true, 0, "deleted", "", Int(ticket), "cancelled", "", "", "", -1);
  }

string ExecAmend(const string cmd)
  {
   int ticket = (int)StringToInteger(Field(cmd, "ticket"));
   if(!SelectPending(ticket))
      return Fail(4108, "no pending order " + Int(ticket), "unknown_ticket");
   int d = SymDigits(OrderSymbol());
   bool stop = OrderType() == OP_BUYSTOP || OrderType() == OP_SELLSTOP;
   string given = stop ? Field(cmd, "stopPrice") : Field(cmd, "price");
   double price = given == "" ? OrderOpenPrice() : NormalizeDouble(Num(given), d);
   ResetLastError();
   if(!OrderModify(ticket, price, OrderStopLoss(), OrderTakeProfit(), OrderExpiration(), clrNONE))
      return LastError(); // 1 ERR_NO_RESULT: nothing changed
   return Result(true, 0, "modified", "", Int(ticket), "open", "", "", "", -1);
  }

// Closes market orders on a symbol, oldest first, until `volume` (all when absent) is closed.
string ExecClose(const string cmd)
  {
   string symbol = Field(cmd, "symbol");
   string volumeText = Field(cmd, "volume");
   bool all = volumeText == "";
   double left = Num(volumeText);
   int d = SymDigits(symbol);
   int vd = VolumeDigits(symbol);
   double step = MarketInfo(symbol, MODE_LOTSTEP);
   int tickets[];
   for(int i = 0; i < OrdersTotal(); i++)
     {
      if(OrderSelect(i, SELECT_BY_POS, MODE_TRADES) && IsMarket(OrderType()) && OrderSymbol() == symbol)
        {
         int k = ArraySize(tickets);
         ArrayResize(tickets, k + 1);
         tickets[k] = OrderTicket();
        }
     }
   double closed = 0, lastPrice = 0;
   int lastTicket = 0;
   for(int i = 0; i < ArraySize(tickets); i++)
     {
      if(!all && left < step / 2)
         break;
      if(!OrderSelect(tickets[i], SELECT_BY_TICKET))
         continue;
      double take = all ? OrderLots() : MathMin(OrderLots(), left);
      RefreshRates();
      double price = MarketInfo(symbol, OrderType() == OP_BUY ? MODE_BID : MODE_ASK);
      ResetLastError();
      if(!OrderClose(tickets[i], NormalizeDouble(take, vd), NormalizeDouble(price, d), SlippagePoints, clrNONE))
        {
         int err = GetLastError();
         if(closed > 0)
            return Fail(err, "closed " + DoubleToString(closed, vd) + " then: " + ErrorDescription(err), "");
         return Fail(err, ErrorDescription(err), "");
        }
      closed += take;
      left -= take;
      lastTicket = tickets[i];
      lastPrice = OrderSelect(tickets[i], SELECT_BY_TICKET) ? OrderClosePrice() : price;
     }
   if(closed == 0)
      return Fail(4108, "no position on " + symbol, "unknown_ticket");
   return Result(true, 0, "closed", "", Int(lastTicket), "filled",
                 all ? DoubleToString(closed, vd) : volumeText, DoubleToString(closed, vd),
                 DoubleToString(lastPrice, d), -1);
  }

string ExecCancelAll(const string cmd)
  {
   string symbol = Field(cmd, "symbol");
   int tickets[];
   for(int i = 0; i < OrdersTotal(); i++)
     {
      if(OrderSelect(i, SELECT_BY_POS, MODE_TRADES) && IsPending(OrderType())
         && (symbol == "" || OrderSymbol() == symbol))
        {
         int k = ArraySize(tickets);
         ArrayResize(tickets, k + 1);
         tickets[k] = OrderTicket();
        }
     }
   int count = 0, failed = 0, lastErr = 0;
   for(int i = 0; i < ArraySize(tickets); i++)
     {
      ResetLastError();
      if(OrderDelete(tickets[i], clrNONE))
         count++;
      else
        {
         failed++;
         lastErr = GetLastError();
        }
     }
   string message = failed == 0 ? "done" : Int(failed) + " orders could not be removed: " + ErrorDescription(lastErr);
   return Result(failed == 0, lastErr, message, "", "", "", "", "", "", count);
  }

string Execute(const string cmd)
  {
   string action = Field(cmd, "action");
   if(action == "open")
      return ExecOpen(cmd);
   if(action == "cancel")
      return ExecCancel(cmd);
   if(action == "amend")
      return ExecAmend(cmd);
   if(action == "close")
      return ExecClose(cmd);
   if(action == "cancel_all")
      return ExecCancelAll(cmd);
   return Fail(0, "unknown action " + action, "bad_command");
  }

// The EA died between starting a command and writing its result: find what it made by the
// order comment; if nothing shows, the outcome is unknown (Bourse resolves it by client id).
string Recover(const string cmd)
  {
   if(Field(cmd, "action") == "open")
     {
      string comment = Field(cmd, "comment");
      for(int i = 0; i < OrdersTotal(); i++)
        {
         if(OrderSelect(i, SELECT_BY_POS, MODE_TRADES) && OrderComment() == comment)
            return Result(true, 0, "recovered after an EA restart", "", Int(OrderTicket()),
                          IsPending(OrderType()) ? "open" : "filled", "", "", "", -1);
        }
     }
   return Fail(128, "the EA restarted during this command; its outcome is unknown", ""); // ERR_TRADE_TIMEOUT
  }
//+------------------------------------------------------------------+
//| Poll, run once, acknowledge                                      |
//+------------------------------------------------------------------+
// How long Bourse may hold the next poll: LongPollSec, capped at the time left to the next
// heartbeat, because WebRequest blocks the EA while it waits and heartbeats must stay on time.
int PollWaitMs()
  {
   if(LongPollSec <= 0 || g_longPollRefused)
      return 0;
   int wait = LongPollSec * 1000;
   if(wait > POLL_WAIT_MAX)
      wait = POLL_WAIT_MAX;
   int left = HeartbeatSec * 1000 - (int)(GetTickCount() - g_lastHeartbeat);
   if(left < wait)
      wait = left;
   return wait < 0 ? 0 : wait;
  }

bool LongPolling() { return LongPollSec > 0 && !g_longPollRefused; }

// Runs each command of a poll's answer at most once and writes their results as JSON items
// into `results`. False when a command cannot be recorded before OrderSend (then nothing is
// run after it, and what ran is re-reported from memory when Bourse hands it out again).
bool RunCommands(const string response, string &results)
  {
   long serverTime = StringToInteger(Field(response, "serverTime"));
   string commands[];
   int n = JsonArrayObjects(response, "commands", commands);
   results = "";
   for(int i = 0; i < n; i++)
     {
      string id = Field(commands[i], "id");
      if(id == "")
         continue;
      int known = MemoryFind(id);
      string result;
      if(known >= 0 && g_results[known] != "")
         result = g_results[known];                  // ran before: report the same result
      else
        {
         if(known >= 0)
            result = Recover(commands[i]);           // started before a restart
         else
            if(StringToInteger(Field(commands[i], "expiresAt")) < serverTime)
               result = Fail(0, "expired before the EA ran it", "expired");
            else
              {
               if(!MemoryWrite(id, ""))               // no record, no OrderSend
                  return false;
               result = Execute(commands[i]);
              }
         MemoryWrite(id, result);
        }
      if(results != "")
         results += ",";
      results += "{\"id\":" + Q(id) + ",\"result\":" + result + "}";
     }
   return results != "";
  }

// One poll; runs what it was handed. EA 1.3: the results go in with the next poll together
// with the heartbeat that shows what they did, and that poll is held like any long-poll, so a
// burst costs one round trip and the EA is waiting at Bourse again as soon as it reported. A
// Bourse before 1.3 refuses a heartbeat in a poll (400): the same results go again without it
// (answered at once, as EA 1.2 does) and a heartbeat follows the burst; a Bourse before 1.2
// refuses results in a poll too: then they go to /ack. True when the next poll may go out at
// once (long-poll). False after a failed poll, or an empty answer that came well before its
// wait (another EA polls with this token, or Bourse is closing): the timer paces it.
bool PollAndRun()
  {
   string response;
   int wait = PollWaitMs();
   uint started = GetTickCount();
   int status = Post("poll", wait > 0 ? "{\"waitMs\":" + Int(wait) + "}" : "{}", response, wait);
   if(status == 400 && wait > 0)
     {
      // A Bourse from before long-poll refuses the waitMs field: poll the way it expects.
      g_longPollRefused = true;
      Print("BourseBridge: this Bourse does not hold polls; polling every ", PollMs, " ms");
      return false;
     }
   if(status != 200)
      return false;
   string probe[];
   if(JsonArrayObjects(response, "commands", probe) == 0)
      return LongPolling() && (int)(GetTickCount() - started) >= wait / 2;
   string results;
   bool reported = false; // the last poll carried the heartbeat
   while(!IsStopped())
     {
      if(!RunCommands(response, results))
         return false;
      reported = false;
      string items = "\"results\":[" + results + "]";
      if(g_ackOnPollRefused)
        {
         Post("ack", "{" + items + "}", response);
         break;
        }
      if(!g_heartbeatOnPollRefused)
        {
         g_lastHeartbeat = GetTickCount();
         wait = PollWaitMs();
         string body = "{" + items + ",\"heartbeat\":" + HeartbeatJson(false);
         if(wait > 0)
            body += ",\"waitMs\":" + Int(wait);
         started = GetTickCount();
         status = Post("poll", body + "}", response, wait);
         if(status == 200)
           {
            g_symbolsSent = true;
            reported = true;
            if(JsonArrayObjects(response, "commands", probe) == 0)
               return LongPolling() && (int)(GetTickCount() - started) >= wait / 2;
            continue;
           }
         if(status != 400)
            break; // not acknowledged: Bourse hands them out again, and they are re-reported
         g_heartbeatOnPollRefused = true;
         Print("BourseBridge: this Bourse takes heartbeats apart");
        }
      status = Post("poll", "{" + items + "}", response, 0);
      if(status == 400)
        {
         g_ackOnPollRefused = true;
         Print("BourseBridge: this Bourse takes results on /ack only");
         Post("ack", "{" + items + "}", response);
         break;
        }
      if(status != 200 || JsonArrayObjects(response, "commands", probe) == 0)
         break;
     }
   if(!reported)
      SendHeartbeat(false); // the account changed: tell Bourse now
   return LongPolling();
  }

//+------------------------------------------------------------------+
//| Expert lifecycle                                                 |
//+------------------------------------------------------------------+
int OnInit()
  {
   if(BridgeToken == "")
     {
      Alert("BourseBridge: set the BridgeToken input (Bourse shows it in Accounts > MetaTrader > EA setup).");
      return INIT_PARAMETERS_INCORRECT;
     }
   if(MQLInfoInteger(MQL_TESTER))
     {
      Alert("BourseBridge: WebRequest does not run in the Strategy Tester; attach the EA to a chart.");
      return INIT_FAILED;
     }
   g_base = BridgeUrl;
   while(StringLen(g_base) > 0 && StringSubstr(g_base, StringLen(g_base) - 1) == "/")
      g_base = StringSubstr(g_base, 0, StringLen(g_base) - 1);
   MemoryLoad();
   SendHeartbeat(false);
   if(g_blocked)
      return INIT_FAILED; // the allow-list alert says what to do
   EventSetMillisecondTimer(PollMs < 100 ? 100 : PollMs);
   if(LongPollSec > 0)
      Print("BourseBridge ", EA_VERSION, ": long-polling ", g_base, " (each poll held up to ", LongPollSec, " s)");
   else
      Print("BourseBridge ", EA_VERSION, ": polling ", g_base, " every ", PollMs, " ms");
   return INIT_SUCCEEDED;
  }

void OnDeinit(const int reason)
  {
   EventKillTimer();
   if(!g_blocked && g_base != "")
      SendHeartbeat(true); // goodbye: Bourse shows the EA offline at once
  }

// With long-poll, one timer event keeps a poll waiting at Bourse nearly all the time, so a
// command reaches the EA as soon as Bourse queues it. It goes back to the timer after a failed
// or refused poll, and stops when the EA is being removed (IsStopped). Without, one pass.
void OnTimer()
  {
   if(g_busy)
      return;
   g_busy = true;
   bool again = true;
   while(again && !IsStopped())
     {
      if(GetTickCount() - g_lastHeartbeat >= (uint)(HeartbeatSec * 1000))
         SendHeartbeat(false);
      again = PollAndRun();
     }
   g_busy = false;
  }
//+------------------------------------------------------------------+
